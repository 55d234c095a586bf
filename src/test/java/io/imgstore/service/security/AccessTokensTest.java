package io.imgstore.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

    private final AccessTokens tokens = AccessTokens.of(Map.of(
            "rig3-old", new SecurityProperties.Token("old-secret-0123456789", TokenScope.WRITE, "rig3/"),
            "rig3-new", new SecurityProperties.Token("new-secret-0123456789", TokenScope.WRITE, "/rig3"),
            "viewer", new SecurityProperties.Token("view-secret-0123456789", TokenScope.READ, "ignored/")),
            "legacy");

    @Test
    void matchesExactlyTheConfiguredSecrets() {
        assertThat(tokens.match("old-secret-0123456789")).get().extracting(AccessTokens.Named::name).isEqualTo("rig3-old");
        assertThat(tokens.match("new-secret-0123456789")).get().extracting(AccessTokens.Named::name).isEqualTo("rig3-new");
        assertThat(tokens.match("legacy")).get().satisfies(t -> {
            assertThat(t.name()).isEqualTo("ingest");
            assertThat(t.scope()).isEqualTo(TokenScope.ADMIN);
            assertThat(t.pathPrefix()).isNull();
        });
        assertThat(tokens.match("view-secret-0123456789").get().pathPrefix()).isNull(); // prefixes are for write tokens
        assertThat(tokens.match("old-secret-0123456789").get().pathPrefix()).isEqualTo("rig3");
        assertThat(tokens.match("new-secret-0123456789").get().pathPrefix()).isEqualTo("rig3");
    }

    @Test
    void nearMissesDoNotMatch() {
        for (String wrong : new String[] {"", "old-secret-012345678", "old-secret-01234567890", "OLD-SECRET-0123456789",
                "old-secret-0123456789 ", "legacyx", "legac", null}) {
            assertThat(tokens.match(wrong)).as(String.valueOf(wrong)).isEmpty();
        }
    }

    @Test
    void noTokensMeansNone() {
        AccessTokens none = AccessTokens.of(Map.of(), "  ");
        assertThat(none.any()).isFalse();
        assertThat(none.match("anything")).isEmpty();
    }

    @Test
    void digestsAreComparedNotStrings() {
        // equal-length digests whatever the length of the secret: MessageDigest.isEqual sees 32 bytes each time
        assertThat(AccessTokens.sha256("a")).hasSize(32);
        assertThat(AccessTokens.sha256("a".repeat(10_000))).hasSize(32);
    }

    @Test
    void pathPrefixesHoldOnlyTheirFolder() {
        assertThat(StorePaths.inside("rig3/a", "rig3")).isTrue();
        assertThat(StorePaths.inside("rig3/a/b", "rig3")).isTrue();
        assertThat(StorePaths.inside("./rig3/a", "rig3")).isTrue();
        assertThat(StorePaths.inside("rig3", "rig3")).isFalse();
        assertThat(StorePaths.inside("rig3x/a", "rig3")).isFalse();
        assertThat(StorePaths.inside("rig3/../lab/a", "rig3")).isFalse();
        assertThat(StorePaths.inside("rig3//a", "rig3")).isFalse();
        assertThat(StorePaths.inside("/rig3/a", "rig3")).isFalse();
        assertThat(StorePaths.inside("rig3\\..\\lab", "rig3")).isFalse();
        assertThat(StorePaths.inside(null, "rig3")).isFalse();
        assertThat(StorePaths.inside("anything", null)).isTrue();
        assertThat(StorePaths.pathOfId("rig3~a")).isEqualTo("rig3/a");
        assertThat(StorePaths.pathOfId("rig3~..")).isNull();
    }

    @Test
    void theFirewallRefusesEncodedLettersAndDigits() {
        assertThat(StrictFirewall.encodesLetterOrDigit("/%73tores")).isTrue();
        assertThat(StrictFirewall.encodesLetterOrDigit("/stores/a%31")).isTrue();
        assertThat(StrictFirewall.encodesLetterOrDigit("/%53tores")).isTrue();
        assertThat(StrictFirewall.encodesLetterOrDigit("/stores/lab%7Eone")).isFalse();
        assertThat(StrictFirewall.encodesLetterOrDigit("/stores/a%20b")).isFalse();
        assertThat(StrictFirewall.encodesLetterOrDigit("/stores/%")).isFalse();
    }
}
