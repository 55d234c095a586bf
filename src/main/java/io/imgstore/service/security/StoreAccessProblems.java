package io.imgstore.service.security;

import io.imgstore.service.web.ApiProblems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** 403 problem+json for refusals raised inside controllers ({@link StoreAccess}). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StoreAccessProblems {

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException e) {
        return ApiProblems.problem(HttpStatus.FORBIDDEN, "forbidden", e.getMessage());
    }
}
