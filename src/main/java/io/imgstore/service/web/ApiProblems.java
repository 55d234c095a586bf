package io.imgstore.service.web;

import java.util.concurrent.RejectedExecutionException;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Spring MVC's side of the error handling: every exception a controller throws is answered as RFC
 * 9457 {@code application/problem+json}, as {@link Problems} maps it (the one mapping of the service).
 */
@RestControllerAdvice
@Import(Problems.class)
public class ApiProblems extends ResponseEntityExceptionHandler {

    private final Problems problems;

    public ApiProblems(Problems problems) {
        this.problems = problems;
    }

    /** Spring MVC's own problems (404 no route, 405, 406, 415, ...) get a type under {@code /problems/} too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail p = body instanceof ProblemDetail b ? b
                : body == null && ex instanceof ErrorResponse e ? e.getBody() : null;
        if (p != null && (p.getType() == null || "about:blank".equals(p.getType().toString()))) {
            p.setType(java.net.URI.create("/problems/" + Problems.typeFor(statusCode.value())));
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    /** No endpoint: a store path used as an id ({@code /stores/demo/barcodes}) gets a hint. */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemDetail p = problems.storePathInsteadOfId("/" + ex.getResourcePath());
        if (p != null) {
            return ResponseEntity.status(p.getStatus()).body(p);
        }
        return super.handleNoResourceFoundException(ex, headers, status, request);
    }

    /** Everything else, the service's, the library's and the unexpected: {@link Problems#of}. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> any(Exception e) {
        if (!(e instanceof RejectedExecutionException) && DisconnectedClientHelper.isClientDisconnectedException(e)) {
            return null;
        }
        ProblemDetail p = problems.of(e);
        return ResponseEntity.status(p.getStatus()).headers(Problems.headers(p)).body(p);
    }
}
