package io.imgstore.service.web;

import org.springframework.http.HttpStatus;

/**
 * An exception of the service that knows its own answer: {@link Problems} maps it to a problem with
 * this status and type (under {@code /problems/}) and the exception's message as detail. Features
 * implement this instead of registering handlers of their own, so the web layer knows no feature.
 */
public interface ApiError {

    HttpStatus status();

    /** The problem type's last segment, e.g. {@code store-closed}. */
    String problemType();
}
