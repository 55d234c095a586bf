package io.imgstore.service.read;

import io.imgstore.service.web.ApiProblems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A malformed or out-of-range request parameter: answered {@code 400} as {@code /problems/bad-request}. */
class BadRequestException extends ErrorResponseException {

    BadRequestException(String detail) {
        super(HttpStatus.BAD_REQUEST, ApiProblems.problem(HttpStatus.BAD_REQUEST, "bad-request", detail), null);
    }
}
