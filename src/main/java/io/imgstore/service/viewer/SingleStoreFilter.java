package io.imgstore.service.viewer;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * For {@code imgstore view <store>}: the server's root is the store's parent folder, but only that
 * one store is served. Any other {@code /stores/...} request, and the listing itself, get 404.
 */
@Component
@ConditionalOnProperty(prefix = "imgstore.viewer", name = "single-store")
public class SingleStoreFilter extends OncePerRequestFilter {

    private final String storeId;

    public SingleStoreFilter(ViewerProperties properties) {
        this.storeId = properties.singleStore();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return storeId == null || !(path.equals("/stores") || path.startsWith("/stores/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        if (path.startsWith("/stores/")) {
            String rest = path.substring("/stores/".length());
            int slash = rest.indexOf('/');
            String id = URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
            if (id.equals(storeId)) {
                chain.doFilter(request, response);
                return;
            }
        }
        response.setStatus(HttpStatus.NOT_FOUND.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"/problems/store-not-found\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"this server shows a single store: /stores/" + storeId.replace("\"", "") + "\"}");
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String ctx = request.getContextPath();
        return ctx != null && !ctx.isEmpty() && uri.startsWith(ctx) ? uri.substring(ctx.length()) : uri;
    }
}
