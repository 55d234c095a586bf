package io.imgstore.service.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Access control: {@code imgstore.security.*} (see docs/security.md). The older
 * {@code imgstore.ingest.token}/{@code read-only}/{@code protect-reads} still apply (the single
 * token as an admin token named {@code ingest}).
 *
 * @param tokens         named bearer tokens ({@code imgstore.security.tokens.<name>.value/scope/path-prefix});
 *                       two names can hold the old and the new token while a token is rotated
 * @param readOnly       refuse every write with 403
 * @param protectReads   reads under {@code /stores} (and the live WebSocket) need a token too
 * @param allowedOrigins origin patterns (besides the server's own origin) allowed to open the ingest and
 *                       live WebSockets from a browser; clients that send no {@code Origin} (rigs) are always allowed
 */
@Validated
@ConfigurationProperties("imgstore.security")
public record SecurityProperties(
        Map<String, @Valid @NotNull Token> tokens,
        boolean readOnly,
        boolean protectReads,
        List<@NotBlank String> allowedOrigins) {

    public SecurityProperties {
        tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }

    /**
     * One named token.
     *
     * @param value      the secret (at least 16 characters)
     * @param scope      {@code read}, {@code write} or {@code admin}
     * @param pathPrefix for {@code write} tokens: the folder (relative to the root) the token's stores must be in,
     *                   e.g. {@code rig3/}; unset: any store
     */
    public record Token(
            @NotBlank @jakarta.validation.constraints.Size(min = 16, message = "tokens need at least 16 characters")
            String value,
            @NotNull TokenScope scope,
            String pathPrefix) {

        public Token {
            value = value == null ? null : value.strip();
            pathPrefix = pathPrefix == null || pathPrefix.isBlank() ? null : StorePaths.folder(pathPrefix);
        }

        @AssertTrue(message = "path-prefix must be a relative folder without '.', '..' or empty segments")
        public boolean isPathPrefixValid() {
            return pathPrefix == null || StorePaths.isPlainRelative(pathPrefix);
        }
    }
}
