package io.imgstore.service.security;

import io.imgstore.service.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The security chain's answers, all problem+json through the shared {@link ProblemWriter}: 401
 * with {@code WWW-Authenticate: Bearer realm="imgstore"}, the 403/404 of a {@link Denial}, and 400
 * for requests the firewall rejects.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityProblems.class);
    static final String CHALLENGE = "Bearer realm=\"imgstore\"";

    private final ProblemWriter writer;

    SecurityProblems(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        Denial d = denialOf(e);
        if (d != null && d.status != HttpStatus.UNAUTHORIZED) {
            // a refusal that no token would change (read-only, single-store): not a 401
            writer.write(response, d.status, d.type, d.detail);
            return;
        }
        String detail = d != null ? d.detail : e instanceof BadCredentialsException
                ? "the bearer token is not valid" : "a bearer token is needed (Authorization: Bearer <token>)";
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        writer.write(response, HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        Denial d = denialOf(e);
        if (d == null) {
            writer.write(response, HttpStatus.FORBIDDEN, "forbidden", "not allowed");
            return;
        }
        if (d.status == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        writer.write(response, d.status, d.type, d.detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        LOG.debug("request rejected: {}", e.getMessage());
        writer.write(response, HttpStatus.BAD_REQUEST, "bad-request", "request rejected: " + e.getMessage());
    }

    private static Denial denialOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthorizationDeniedException a && a.getAuthorizationResult() instanceof Denial d) {
                return d;
            }
        }
        return null;
    }
}
