package io.imgstore.service.web;

import org.springframework.http.HttpStatus;

/**
 * A malformed or out-of-range request argument (query parameter, header, body field): answered
 * {@code 400} as {@code /problems/bad-request}. The service's one "bad argument" exception; the
 * library's {@code InvalidImageException} is for images only.
 */
public class BadRequestException extends RuntimeException implements ApiError {

    public BadRequestException(String detail) {
        super(detail);
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.BAD_REQUEST;
    }

    @Override
    public String problemType() {
        return "bad-request";
    }
}
