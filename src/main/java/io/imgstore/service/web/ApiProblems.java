package io.imgstore.service.web;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.FileOutsideRootException;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.StoreExistsException;
import io.imgstore.format.StoreLockedException;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.service.catalog.InvalidStorePathException;
import io.imgstore.service.catalog.StoreNotInRootException;
import io.imgstore.service.catalog.StoreCatalog;
import java.net.URI;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.util.DisconnectedClientHelper;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 {@code application/problem+json}. Messages of the format library name
 * files relative to their store, never absolute paths; unexpected errors get a generic text and
 * are logged, so no stack trace or path outside the root reaches a client.
 */
@RestControllerAdvice
public class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiProblems.class);
    /** An absolute path (a slash not preceded by a name character, then name segments). */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w.~-])/[\\w.@~+-]+(?:/[\\w.@~+-]*)*");

    private final ObjectProvider<StoreCatalog> catalog;

    public ApiProblems(ObjectProvider<StoreCatalog> catalog) {
        this.catalog = catalog;
    }

    /**
     * A message safe to show a client: paths under the store root become relative to it, any other
     * absolute path is replaced by {@code [path]}.
     */
    String safe(String message) {
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

    private static java.util.List<String> roots(StoreCatalog c) {
        java.util.List<String> roots = new java.util.ArrayList<>();
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

    /** A problem with a type URI under {@code /problems/}. */
    public static ProblemDetail problem(HttpStatus status, String type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("/problems/" + type));
        return p;
    }

    /** Spring MVC's own problems (404 no route, 405, 406, 415, ...) get a type under {@code /problems/} too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail p = body instanceof ProblemDetail b ? b
                : body == null && ex instanceof ErrorResponse e ? e.getBody() : null;
        if (p != null && (p.getType() == null || "about:blank".equals(p.getType().toString()))) {
            p.setType(URI.create("/problems/" + ProblemWriter.typeFor(statusCode.value())));
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    @ExceptionHandler(StoreNotInRootException.class)
    ProblemDetail storeNotFound(StoreNotInRootException e) {
        return problem(HttpStatus.NOT_FOUND, "store-not-found", safe(e.getMessage()));
    }

    @ExceptionHandler(FrameNotFoundException.class)
    ProblemDetail frameNotFound(FrameNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "frame-not-found", safe(e.getMessage()));
    }

    @ExceptionHandler({InvalidStorePathException.class, InvalidImageException.class, UnsupportedFormatException.class,
            IllegalArgumentException.class})
    ProblemDetail badRequest(RuntimeException e) {
        return problem(HttpStatus.BAD_REQUEST, "bad-request", safe(e.getMessage()));
    }

    @ExceptionHandler({StoreExistsException.class, StoreLockedException.class})
    ProblemDetail conflict(ImgStoreException e) {
        return problem(HttpStatus.CONFLICT, "conflict", safe(e.getMessage()));
    }

    @ExceptionHandler(RejectedExecutionException.class)
    ResponseEntity<ProblemDetail> busy(RejectedExecutionException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "all frame workers are busy; retry shortly"));
    }

    /** A store file that is a link leading outside the root: refused, never read. */
    @ExceptionHandler(FileOutsideRootException.class)
    ProblemDetail outsideRoot(FileOutsideRootException e) {
        LOG.warn("refused: {}", e.getMessage());
        return problem(HttpStatus.FORBIDDEN, "outside-root", safe(e.getMessage()));
    }

    @ExceptionHandler(CorruptStoreException.class)
    ProblemDetail corrupt(CorruptStoreException e) {
        LOG.warn("corrupt store: {}", e.getMessage());
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "corrupt-store", safe(e.getMessage()));
    }

    @ExceptionHandler(ImgStoreException.class)
    ProblemDetail storeError(ImgStoreException e) {
        LOG.warn("store error: {}", e.getMessage());
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "store-error", safe(e.getMessage()));
    }

    /** Anything unexpected: logged with its stack trace, answered with a generic text. */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            LOG.debug("client went away: {}", e.toString());
            return null;
        }
        LOG.error("unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "internal error; see the service log");
    }
}
