package io.imgstore.service.security;

/** What a named token may do. */
public enum TokenScope {
    /** Reads only (matters with {@code protect-reads}). */
    READ,
    /** Reads, and writes to the stores under the token's path prefix (every store without one). */
    WRITE,
    /** Everything. */
    ADMIN;

    boolean canWrite() {
        return this != READ;
    }
}
