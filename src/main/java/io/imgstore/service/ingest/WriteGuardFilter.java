package io.imgstore.service.ingest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Protects writes: with {@code imgstore.ingest.token} set, every write ({@code POST}/{@code PUT}/
 * {@code PATCH}/{@code DELETE} under {@code /stores}, and the {@code /stores/{id}/ingest} WebSocket)
 * needs {@code Authorization: Bearer <token>} (401 otherwise); with {@code imgstore.ingest.read-only}
 * every write gets 403. With {@code imgstore.ingest.protect-reads}, reads under {@code /stores} need the
 * token too. Browsers cannot set headers on WebSockets, so WebSocket handshakes may pass the token as
 * {@code ?access_token=}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class WriteGuardFilter extends OncePerRequestFilter {

    private final IngestProperties props;

    public WriteGuardFilter(IngestProperties props) {
        this.props = props;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals("/stores") || path.startsWith("/stores/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean websocket = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        String method = request.getMethod();
        boolean write = path.endsWith("/ingest") || switch (method) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
        if (write && props.readOnly()) {
            deny(response, HttpStatus.FORBIDDEN, "read-only", "this server is read-only (imgstore.ingest.read-only)");
            return;
        }
        boolean needsToken = props.tokenRequired() && (write || props.protectReads())
                && !"OPTIONS".equals(method);
        if (needsToken && !authorized(request, websocket)) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"imgstore\"");
            deny(response, HttpStatus.UNAUTHORIZED, "unauthorized",
                    (write ? "writes" : "reads") + " need a bearer token (Authorization: Bearer <token>)");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean authorized(HttpServletRequest request, boolean websocket) {
        String given = null;
        String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).strip();
        } else if (websocket) {
            given = request.getParameter("access_token");
        }
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                props.token().getBytes(StandardCharsets.UTF_8));
    }

    private static void deny(HttpServletResponse response, HttpStatus status, String type, String detail)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        String body = "{\"type\":\"/problems/" + type + "\",\"title\":\"" + status.getReasonPhrase()
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail.replace("\"", "\\\"") + "\"}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
