package io.imgstore.service.ingest;

import io.imgstore.format.ExtraDataTooLargeException;
import io.imgstore.service.web.ApiProblems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** problem+json for the ingest package's own exceptions (the shared ones are mapped by {@link ApiProblems}). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class IngestExceptionHandler {

    @ExceptionHandler(StoreClosedException.class)
    ProblemDetail closed(StoreClosedException e) {
        return ApiProblems.problem(HttpStatus.CONFLICT, "store-closed", e.getMessage());
    }

    @ExceptionHandler(ExtraDataTooLargeException.class)
    ProblemDetail tooLarge(ExtraDataTooLargeException e) {
        return ApiProblems.problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", e.getMessage());
    }

    @ExceptionHandler(MalformedRecordException.class)
    ProblemDetail malformed(MalformedRecordException e) {
        return ApiProblems.problem(HttpStatus.BAD_REQUEST, "malformed-record", e.getMessage());
    }
}
