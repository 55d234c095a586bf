package io.imgstore.service.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a bearer token ({@code Authorization: Bearer <token>}; on WebSocket handshakes only, since
 * browsers cannot set headers there, also {@code ?access_token=}) and authenticates the request
 * as that token. A token that matches none of the configured ones gets 401 at once; a request
 * without a token goes on anonymously and the authorization rules decide.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private final AccessTokens tokens;
    private final AuthenticationEntryPoint entryPoint;

    BearerTokenFilter(AccessTokens tokens, AuthenticationEntryPoint entryPoint) {
        this.tokens = tokens;
        this.entryPoint = entryPoint;
    }

    /** The two WebSocket endpoints, on the decoded path. */
    private static final RequestMatcher WEBSOCKETS = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/stores/{id}/ingest"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/stores/{id}/live"));

    /** A WebSocket handshake: {@code GET} of the ingest or live endpoint with {@code Upgrade: websocket}. */
    static boolean isWebSocketHandshake(HttpServletRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE)) && WEBSOCKETS.matches(request);
    }

    /** The token a request presents, or null. */
    static String presented(HttpServletRequest request) {
        String auth = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        if (auth == null && isWebSocketHandshake(request)) {
            return request.getParameter("access_token");
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = presented(request);
        if (given != null) {
            Optional<AccessTokens.Named> token = tokens.match(given);
            if (token.isEmpty()) {
                SecurityContextHolder.clearContext();
                entryPoint.commence(request, response, new BadCredentialsException("unknown bearer token"));
                return;
            }
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new TokenAuthentication(token.get()));
            SecurityContextHolder.setContext(context);
        }
        chain.doFilter(request, response);
    }
}
