package io.imgstore.service.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.WebUtils;

/**
 * The authorization rules of the store API, as {@link AuthorizationManager}s the security chain
 * applies to request matchers. All of them work on the path the router sees (decoded, without
 * {@code ;} parameters: {@link PathPatternRequestMatcher}), never on the raw request URI.
 */
final class StoreAccessRules {

    private static final AuthorizationDecision GRANTED = new AuthorizationDecision(true);
    /** {@code /stores/{id}} and everything under it: the store id a request addresses. */
    static final PathPatternRequestMatcher STORE = PathPatternRequestMatcher.withDefaults().matcher("/stores/{id}/**");
    static final PathPatternRequestMatcher STORES = PathPatternRequestMatcher.withDefaults().matcher("/stores/**");
    static final PathPatternRequestMatcher LISTING = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/stores");

    private static final PathPatternRequestMatcher FRAMES_POST =
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/stores/{id}/frames");

    private final AccessTokens tokens;
    private final boolean readOnly;
    private final boolean protectReads;
    private final String singleStore;
    private final CorsConfiguration origins = new CorsConfiguration();

    StoreAccessRules(AccessTokens tokens, boolean readOnly, boolean protectReads, String singleStore,
            List<String> allowedOrigins) {
        this.tokens = tokens;
        this.readOnly = readOnly;
        this.protectReads = protectReads;
        this.singleStore = singleStore;
        origins.setAllowedOriginPatterns(allowedOrigins);
    }

    /** The id of the store a request addresses, decoded; null for {@code /stores} itself. */
    static String storeId(HttpServletRequest request) {
        RequestMatcher.MatchResult m = STORE.matcher(request);
        return m.isMatch() ? m.getVariables().get("id") : null;
    }

    /** Writes: refused on a read-only server; with tokens, a write (or admin) token whose prefix holds the store. */
    AuthorizationManager<RequestAuthorizationContext> write() {
        return (auth, ctx) -> {
            if (readOnly) {
                return new Denial(HttpStatus.FORBIDDEN, "read-only", "this server is read-only (imgstore.security.read-only)");
            }
            if (!tokens.any()) {
                return GRANTED;
            }
            if (!(auth.get() instanceof TokenAuthentication t)) {
                return Denial.unauthorized("writes need a bearer token (Authorization: Bearer <token>)");
            }
            if (!t.scope().canWrite()) {
                return Denial.forbidden("token '" + t.getName() + "' may only read");
            }
            String id = storeId(ctx.getRequest());
            // POST /stores names its store in the body: IngestController checks it (StoreAccess.checkCreate)
            if (t.pathPrefix() != null && id != null && !StorePaths.inside(StorePaths.pathOfId(id), t.pathPrefix())) {
                return Denial.forbidden("token '" + t.getName() + "' may only write stores under " + t.pathPrefix() + "/");
            }
            return GRANTED;
        };
    }

    /** Reads: open, unless {@code protect-reads} with tokens configured: then any valid token. */
    AuthorizationManager<RequestAuthorizationContext> read() {
        return (auth, ctx) -> {
            if (!protectReads || !tokens.any() || auth.get() instanceof TokenAuthentication) {
                return GRANTED;
            }
            return Denial.unauthorized("reads need a bearer token (Authorization: Bearer <token>)");
        };
    }

    /**
     * {@code POST /stores/{id}/frames} with a JSON or form body: the bulk read by a list of frame
     * numbers (bulk.BulkController), a read. Ingest's POST to the same path carries frames
     * ({@code application/x-imgstore-frames}, images, octets) and stays a write; any other or a
     * malformed {@code Content-Type} is not matched here, so it is treated as a write.
     */
    static RequestMatcher bulkReadByPost() {
        return request -> FRAMES_POST.matches(request) && isJsonOrForm(request.getContentType());
    }

    private static boolean isJsonOrForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType t = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(t)
                    || MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(t);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** WebSocket handshakes: no {@code Origin} (not a browser), the server's own origin, or an allowed one. */
    AuthorizationManager<RequestAuthorizationContext> sameOrAllowedOrigin() {
        return (auth, ctx) -> {
            HttpServletRequest request = ctx.getRequest();
            String origin = request.getHeader(HttpHeaders.ORIGIN);
            if (origin == null || WebUtils.isSameOrigin(new ServletServerHttpRequest(request))
                    || origins.checkOrigin(origin) != null) {
                return GRANTED;
            }
            return Denial.forbidden("WebSocket connections from another origin are refused "
                    + "(imgstore.security.allowed-origins)");
        };
    }

    /**
     * For {@code imgstore view STORE}: every request under {@code /stores} but the one store's and
     * the listing ({@code GET /stores}, which then lists that store alone: read.StoreQueries).
     */
    RequestMatcher otherStores() {
        return request -> singleStore != null && STORES.matches(request) && !LISTING.matches(request)
                && !singleStore.equals(storeId(request));
    }

    AuthorizationManager<RequestAuthorizationContext> notFound() {
        return (auth, ctx) -> new Denial(HttpStatus.NOT_FOUND, "store-not-found",
                "this server shows a single store: /stores/" + singleStore);
    }

    /** Every manager in turn; the first refusal is the answer. */
    @SafeVarargs
    static AuthorizationManager<RequestAuthorizationContext> all(AuthorizationManager<RequestAuthorizationContext>... managers) {
        return (Supplier<? extends Authentication> auth, RequestAuthorizationContext ctx) -> {
            for (AuthorizationManager<RequestAuthorizationContext> m : managers) {
                AuthorizationResult r = m.authorize(auth, ctx);
                if (r == null || !r.isGranted()) {
                    return r;
                }
            }
            return GRANTED;
        };
    }
}
