package io.imgstore.service.web;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.ExtraDataTooLargeException;
import io.imgstore.format.FileOutsideRootException;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.StoreExistsException;
import io.imgstore.format.StoreLockedException;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.service.catalog.InvalidStorePathException;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreNotInRootException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;

/**
 * The one exception-to-problem mapping of the service (RFC 9457): library exceptions, the service's
 * own ({@link ApiError}), Spring MVC's ({@link ErrorResponse}) and anything unexpected become a
 * status, a type under {@code /problems/}, a title and a safe detail. Used by the MVC advice
 * ({@link ApiProblems}), the WebSocket handlers, the ingest endpoints (which add
 * {@code frames_accepted}/{@code frame_count}) and, through {@link ProblemWriter}, the security chain
 * and the error pages. One bean, registered by {@link ApiProblems} (so MVC test slices have it too).
 *
 * <p>Messages of the format library name files relative to their store, never absolute paths;
 * {@link #safe} removes any that slip through. Unexpected errors get a generic text and are logged,
 * so no stack trace or path outside the root reaches a client.
 */
public class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    /** An absolute path (a slash not preceded by a name character, then name segments). */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w.~-])/[\\w.@~+-]+(?:/[\\w.@~+-]*)*");
    /** Detail of a problem nobody expected. */
    public static final String INTERNAL_DETAIL = "internal error; see the service log";

    private final ObjectProvider<StoreCatalog> catalog;

    public Problems(ObjectProvider<StoreCatalog> catalog) {
        this.catalog = catalog;
    }

    /** A problem with a type URI under {@code /problems/}. */
    public static ProblemDetail problem(HttpStatus status, String type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("/problems/" + type));
        return p;
    }

    /** The problem type ({@code /problems/...}) of an error status without a more specific one. */
    public static String typeFor(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 408 -> "request-timeout";
            case 413 -> "too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 431 -> "headers-too-large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal-error" : "error";
        };
    }

    /** The problem for {@code e}; unexpected exceptions are logged here. */
    public ProblemDetail of(Throwable e) {
        return of(e, null);
    }

    /**
     * The problem for {@code e}, its detail followed by {@code suffix} (e.g. how many frames of the
     * request were kept) when the detail is the exception's message.
     */
    public ProblemDetail of(Throwable e, String suffix) {
        ProblemDetail p = known(e, suffix);
        if (p != null) {
            return p;
        }
        LOG.error("unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", INTERNAL_DETAIL);
    }

    /** The problem of an exception this mapping knows (with its {@link ProblemProperties}); null for an unexpected one. */
    private ProblemDetail known(Throwable e, String suffix) {
        ProblemDetail p = mapped(e, suffix);
        if (p != null && e instanceof ProblemProperties pp) {
            pp.problemProperties().forEach(p::setProperty);
        }
        return p;
    }

    private ProblemDetail mapped(Throwable e, String suffix) {
        if (e instanceof ApiError a) {
            return problem(a.status(), a.problemType(), detail(e, suffix));
        }
        if (e instanceof ErrorResponse r) {
            ProblemDetail p = r.getBody();
            if (p.getType() == null || "about:blank".equals(p.getType().toString())) {
                p.setType(URI.create("/problems/" + typeFor(r.getStatusCode().value())));
            }
            return p;
        }
        if (e instanceof AccessDeniedException) {
            // a refusal raised inside a controller (security.StoreAccess): the token may not do this
            return problem(HttpStatus.FORBIDDEN, "forbidden", e.getMessage());
        }
        if (e instanceof ExtraDataTooLargeException) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", detail(e, suffix));
        }
        if (e instanceof StoreNotInRootException) {
            return problem(HttpStatus.NOT_FOUND, "store-not-found", detail(e, suffix));
        }
        if (e instanceof FrameNotFoundException) {
            return problem(HttpStatus.NOT_FOUND, "frame-not-found", detail(e, suffix));
        }
        if (e instanceof InvalidStorePathException || e instanceof InvalidImageException
                || e instanceof UnsupportedFormatException || e instanceof IllegalArgumentException) {
            return problem(HttpStatus.BAD_REQUEST, "bad-request", detail(e, suffix));
        }
        if (e instanceof StoreExistsException || e instanceof StoreLockedException) {
            return problem(HttpStatus.CONFLICT, "conflict", detail(e, suffix));
        }
        if (e instanceof RejectedExecutionException) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "all frame workers are busy; retry shortly");
        }
        if (e instanceof FileOutsideRootException) {
            LOG.warn("refused: {}", e.getMessage());
            return problem(HttpStatus.FORBIDDEN, "outside-root", detail(e, suffix));
        }
        if (e instanceof CorruptStoreException) {
            LOG.warn("corrupt store: {}", e.getMessage());
            return problem(HttpStatus.INTERNAL_SERVER_ERROR, "corrupt-store", detail(e, suffix));
        }
        if (e instanceof ImgStoreException) {
            LOG.warn("store error: {}", e.getMessage());
            return problem(HttpStatus.INTERNAL_SERVER_ERROR, "store-error", detail(e, suffix));
        }
        return null;
    }

    /**
     * The problem for a failure while opening or writing a store: as {@link #of} when the exception
     * is a client's mistake (4xx), else {@code 500 store-error} naming the cause after {@code prefix}
     * (a writer's failure is the store's, not a bug).
     */
    public ProblemDetail ofStoreFailure(Throwable e, String prefix, String suffix) {
        ProblemDetail p = known(e, suffix);
        if (p != null && p.getStatus() < 500) {
            return p;
        }
        LOG.warn("store failure: {}", e.toString());
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "store-error", safe(prefix + e.getMessage())
                + (suffix == null ? "" : suffix));
    }

    /**
     * For a request no endpoint matched: when its path is {@code /stores/<a>/<b>...} and a leading
     * part {@code a/b...} is the path of a store (an id was written with {@code /} instead of
     * {@code ~}), a {@code 404 store-not-found} naming the id to use; null otherwise.
     */
    public ProblemDetail storePathInsteadOfId(String path) {
        StoreCatalog c = catalog.getIfAvailable();
        if (c == null || path == null) {
            return null;
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (!p.startsWith("stores/")) {
            return null;
        }
        String[] seg = p.substring("stores/".length()).split("/");
        if (seg.length < 2 || seg.length > 64) {
            return null;
        }
        for (int k = seg.length; k >= 2; k--) {
            String storePath = String.join("/", java.util.Arrays.copyOf(seg, k));
            String id;
            try {
                id = c.find(io.imgstore.service.catalog.StoreIds.idFor(storePath)).id();
            } catch (RuntimeException e) {
                continue;
            }
            String rest = k < seg.length ? "/" + String.join("/", java.util.Arrays.copyOfRange(seg, k, seg.length)) : "";
            // relative paths only (the store's, from the catalog, and the request's): nothing to hide
            String detail = "'" + storePath + "' is a store path, not an id: use the id '" + id + "' (/ becomes ~), e.g. /stores/"
                    + id + rest;
            return problem(HttpStatus.NOT_FOUND, "store-not-found", detail.length() > 600 ? detail.substring(0, 600) + "…" : detail);
        }
        return null;
    }

    /** Headers that go with a problem: {@code Retry-After} when the service is only busy. */
    public static HttpHeaders headers(ProblemDetail p) {
        HttpHeaders h = new HttpHeaders();
        if (p.getStatus() == 503 && p.getType() != null && p.getType().toString().equals("/problems/busy")) {
            h.set(HttpHeaders.RETRY_AFTER, "1");
        }
        return h;
    }

    private String detail(Throwable e, String suffix) {
        String d = safe(e.getMessage());
        return suffix == null ? d : d + suffix;
    }

    /**
     * A message safe to show a client: paths under the store root become relative to it, any other
     * absolute path is replaced by {@code [path]}.
     */
    public String safe(String message) {
        if (message == null) {
            return null;
        }
        String m = message;
        // library messages are one line; anything after a line break is a quoted snippet of a file
        // (SnakeYAML, parsers) and never reaches a client
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl).strip();
        }
        if (m.length() > 500) {
            m = m.substring(0, 500) + "…";
        }
        StoreCatalog c = catalog.getIfAvailable();
        if (c != null) {
            for (String root : roots(c)) {
                m = m.replace(root + "/", "").replace(root, ".");
            }
        }
        return ABSOLUTE_PATH.matcher(m).replaceAll("[path]");
    }

    private static List<String> roots(StoreCatalog c) {
        List<String> roots = new ArrayList<>();
        roots.add(c.root().toString());
        try {
            String real = c.root().toRealPath().toString();
            if (!real.equals(roots.get(0))) {
                roots.add(real);
            }
        } catch (java.io.IOException e) {
            // the configured path only
        }
        return roots;
    }
}
