package io.imgstore.service.security;

import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;

/**
 * A refusal by an authorization rule, with the problem the client gets: 401 (no token),
 * 403 ({@code forbidden}, {@code read-only}) or 404 ({@code store-not-found}, single-store view).
 */
final class Denial extends AuthorizationDecision {

    final HttpStatus status;
    final String type;
    final String detail;

    Denial(HttpStatus status, String type, String detail) {
        super(false);
        this.status = status;
        this.type = type;
        this.detail = detail;
    }

    static Denial unauthorized(String detail) {
        return new Denial(HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }

    static Denial forbidden(String detail) {
        return new Denial(HttpStatus.FORBIDDEN, "forbidden", detail);
    }

    @Override
    public String toString() {
        return "Denial[" + status.value() + " " + type + ": " + detail + "]";
    }
}
