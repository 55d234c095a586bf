package io.imgstore.service.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The configured bearer tokens. A presented token is compared with every configured one in
 * constant time: both sides are hashed with SHA-256 and the digests compared by
 * {@link MessageDigest#isEqual}, so neither the length nor the content of a secret leaks through
 * timing, and the loop does not stop at the first match.
 */
public final class AccessTokens {

    /** A token, by name, as its SHA-256 digest. */
    public record Named(String name, byte[] digest, TokenScope scope, String pathPrefix) {
    }

    private final List<Named> tokens;

    private AccessTokens(List<Named> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /**
     * @param tokens      the named tokens of {@code imgstore.security.tokens}
     * @param legacyToken {@code imgstore.ingest.token} (an admin token named {@code ingest}), or null
     */
    public static AccessTokens of(Map<String, SecurityProperties.Token> tokens, String legacyToken) {
        List<Named> list = new ArrayList<>();
        new TreeMap<>(tokens).forEach((name, t) -> list.add(
                new Named(name, sha256(t.value()), t.scope(), t.scope() == TokenScope.WRITE ? t.pathPrefix() : null)));
        if (legacyToken != null && !legacyToken.isBlank()) {
            list.add(new Named("ingest", sha256(legacyToken.strip()), TokenScope.ADMIN, null));
        }
        return new AccessTokens(list);
    }

    /** Whether any token is configured (without one, writes are open unless the server is read-only). */
    public boolean any() {
        return !tokens.isEmpty();
    }

    public List<String> names() {
        return tokens.stream().map(Named::name).toList();
    }

    /** The token {@code presented} is, compared in constant time with every configured token. */
    public Optional<Named> match(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Named found = null;
        for (Named t : tokens) {
            if (MessageDigest.isEqual(digest, t.digest()) && found == null) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
