package io.imgstore.service.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's {@link StrictHttpFirewall} with its defaults (rejects {@code ;}, encoded
 * {@code /}, {@code %}, {@code .}, {@code \}, {@code //}, {@code /./}, {@code /../}, control
 * characters ...), and in addition any percent-encoded letter or digit in the path
 * ({@code /%73tores}): no client needs them, and they only serve to disguise a path.
 */
final class StrictFirewall implements HttpFirewall {

    private final StrictHttpFirewall strict = new StrictHttpFirewall();

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri != null && encodesLetterOrDigit(uri)) {
            throw new RequestRejectedException("The request was rejected because the URL contained a percent-encoded "
                    + "letter or digit");
        }
        return strict.getFirewalledRequest(request);
    }

    @Override
    public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
        return strict.getFirewalledResponse(response);
    }

    static boolean encodesLetterOrDigit(String uri) {
        for (int i = uri.indexOf('%'); i >= 0 && i + 2 < uri.length(); i = uri.indexOf('%', i + 1)) {
            int hi = Character.digit(uri.charAt(i + 1), 16);
            int lo = Character.digit(uri.charAt(i + 2), 16);
            if (hi >= 0 && lo >= 0) {
                char c = (char) (hi * 16 + lo);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                    return true;
                }
            }
        }
        return false;
    }
}
