package io.imgstore.service.security;

import io.imgstore.service.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A malformed {@code Accept} header ({@code ;;;,,garbage/}) gets 400 problem+json up front, on every
 * path: content negotiation cannot pick a body for it, which left it an empty 400/406 before.
 */
final class AcceptHeaderFilter extends OncePerRequestFilter {

    private final ProblemWriter writer;

    AcceptHeaderFilter(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String accept : Collections.list(request.getHeaders(HttpHeaders.ACCEPT))) {
            try {
                MediaType.parseMediaTypes(accept);
            } catch (IllegalArgumentException e) { // InvalidMediaTypeException and friends {
                writer.write(response, HttpStatus.BAD_REQUEST, "bad-request", "malformed Accept header");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
