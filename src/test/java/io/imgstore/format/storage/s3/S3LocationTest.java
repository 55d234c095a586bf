package io.imgstore.format.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3LocationTest {

    @Test
    void parsesBucketAndPrefix() {
        S3Location l = S3Location.parse("s3://lab-data.2024/recordings/rig1");
        assertThat(l.bucket()).isEqualTo("lab-data.2024");
        assertThat(l.prefix()).isEqualTo("recordings/rig1");
        assertThat(l.toString()).isEqualTo("s3://lab-data.2024/recordings/rig1");
        assertThat(l.anchor()).isEqualTo(Path.of("/s3/lab-data.2024/recordings/rig1"));
        assertThat(l.key("store/metadata.yaml")).isEqualTo("recordings/rig1/store/metadata.yaml");
        assertThat(l.key("")).isEqualTo("recordings/rig1");
    }

    @Test
    void bucketOnlyAndTrailingSlash() {
        S3Location bare = S3Location.parse("s3://abc");
        assertThat(bare.prefix()).isEmpty();
        assertThat(bare.anchor()).isEqualTo(Path.of("/s3/abc"));
        assertThat(bare.key("x/y")).isEqualTo("x/y");
        assertThat(S3Location.parse("s3://abc/").prefix()).isEmpty();
        assertThat(S3Location.parse("s3://abc/p/q/").prefix()).isEqualTo("p/q");
        assertThat(S3Location.parse("s3://abc/p/q/")).isEqualTo(S3Location.parse("s3://abc/p/q"));
        assertThat(S3Location.parse("s3://abc/fly arena ü✓").prefix()).isEqualTo("fly arena ü✓");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "s3:/abc", "http://abc/x", "S3://abc", "s3://", "s3:///prefix", "s3://ab", "s3://-abc", "s3://abc-",
        "s3://ABC", "s3://a_b_c", "s3://a..b", "s3://a.-b", "s3://192.168.1.1", "s3://abc/a//b", "s3://abc//",
        "s3://abc/../x", "s3://abc/a/../b", "s3://abc/./x", "s3://abc/a/..", "s3://abc/a\u0000b", "s3://abc/a\nb",
        "s3://abc/a\u007fb", "s3://abc/a\u0085b", "s3://abc/a\\b", "s3://abc/a?b", "s3://abc/a#b",
        "s3://abc/a//", "s3://abc\u0000/x", "s3://abc/x/\r"
    })
    void refusesHostileLocations(String text) {
        assertThatThrownBy(() -> S3Location.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("[\\x00-\\x1f\\x7f]"));
    }

    @Test
    void refusesOverLongTextBucketsAndKeys() {
        assertThatThrownBy(() -> S3Location.parse("s3://" + "a".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket");
        assertThatThrownBy(() -> S3Location.parse("s3://abc/" + "p".repeat(S3Location.MAX_LENGTH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer");
        S3Location l = S3Location.parse("s3://abc/" + "p".repeat(700));
        assertThatThrownBy(() -> l.key("q".repeat(400)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
        assertThat(S3Location.parse("s3://" + "a".repeat(63)).bucket()).hasSize(63);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/../b", "a//b", "/a", "a/", ".", "a/./b", "a\u0000", "x\ty"})
    void refusesHostileRelativeKeys(String rel) {
        S3Location l = S3Location.parse("s3://abc/p");
        assertThatThrownBy(() -> l.key(rel)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomTextEitherParsesToACanonicalLocationOrIsRefused() {
        Random r = new Random(0x53_10c);
        String alphabet = "s3:/ab.-_..\u0000\n\\?#xyzAB9/";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(i % 3 == 0 ? "s3://" : "");
            int n = r.nextInt(24);
            for (int j = 0; j < n; j++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            S3Location l;
            try {
                l = S3Location.parse(b.toString());
            } catch (IllegalArgumentException e) {
                continue;
            }
            // whatever parses round-trips, stays below its anchor and has no dot segments
            assertThat(S3Location.parse(l.toString())).isEqualTo(l);
            assertThat(l.anchor().normalize()).isEqualTo(l.anchor());
            assertThat(l.prefix()).doesNotContain("//").doesNotStartWith("/").doesNotEndWith("/");
            assertThat(("/" + l.prefix() + "/")).doesNotContain("/../").doesNotContain("/./");
        }
    }

    @Test
    void isS3RecognisesTheScheme() {
        assertThat(S3Location.isS3("s3://abc")).isTrue();
        assertThat(S3Location.isS3("S3://abc")).isTrue();
        assertThat(S3Location.isS3("/data/s3://abc")).isFalse();
        assertThat(S3Location.isS3(null)).isFalse();
    }
}
