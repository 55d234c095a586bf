package io.imgstore.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.storage.s3.S3StoreFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code imgstore.s3.*} bound as Spring binds it, refused at start when out of range; {@code imgstore.root} kinds. */
class S3PropertiesTest {

    private static S3Properties bind(Map<String, String> values) {
        Map<String, String> m = new HashMap<>(values);
        return new Binder(new MapConfigurationPropertySource(m)).bindOrCreate("imgstore.s3", S3Properties.class);
    }

    @Test
    void unsetPropertiesAreTheLibrarysDefaults() {
        S3Properties p = bind(Map.of());
        assertThat(p.options()).isEqualTo(S3StoreFiles.Options.defaults());
        assertThat(p.pathStyleAccess()).isFalse();
        assertThat(p.endpoint()).isNull();
        assertThat(S3Properties.defaults().options()).isEqualTo(S3StoreFiles.Options.defaults());
    }

    @Test
    void relaxedNamesAndUnitsBind() {
        S3Properties p = bind(Map.of("imgstore.s3.path-style-access", "true", "imgstore.s3.block-size", "8KB",
                "imgstore.s3.block-cache-size", "1GB", "imgstore.s3.read-ahead-blocks", "0",
                "imgstore.s3.metadata-ttl", "0s", "imgstore.s3.endpoint", "http://127.0.0.1:9000",
                "imgstore.s3.connect-timeout", "3s"));
        assertThat(p.pathStyleAccess()).isTrue();
        assertThat(p.options().blockSize()).isEqualTo(8 * 1024);
        assertThat(p.options().blockCacheBytes()).isEqualTo(1L << 30);
        assertThat(p.options().readAheadBlocks()).isZero();
        assertThat(p.options().metadataTtl()).isEqualTo(Duration.ZERO);
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void outOfRangeValuesStopTheStartWithTheirName() {
        String[][] bads = {{"block-size", "1KB"}, {"block-size", "1GB"}, {"read-ahead-blocks", "65"},
            {"block-cache-size", "-1B"}, {"socket-timeout", "0s"}, {"endpoint", "ftp://host/"}, {"max-list-entries", "0"}};
        for (String[] bad : bads) {
            assertThatThrownBy(() -> bind(Map.of("imgstore.s3." + bad[0], bad[1]))).as(String.join("=", bad))
                    .isInstanceOf(BindException.class).rootCause().hasMessageContaining("imgstore.s3");
        }
    }

    @Test
    void rootKinds(@TempDir Path tmp) {
        StoreProperties local = new StoreProperties(tmp.resolve("stores").toString(), false, 0, null, 0, null);
        assertThat(local.isS3()).isFalse();
        try (RootStorage r = RootStorage.of(local, S3Properties.defaults())) {
            assertThat(r.isLocal()).isTrue();
            assertThat(r.root().isLocal()).isTrue();
            assertThat(r.location()).isEqualTo(tmp.resolve("stores").toString());
        }
        StoreProperties s3 = new StoreProperties("s3://lab-data/recordings/", false, 0, null, 0, null);
        assertThat(s3.isS3()).isTrue();
        assertThatThrownBy(s3::localRoot).isInstanceOf(IllegalStateException.class);
        // no request is made to build it
        S3Properties endpoint = bind(Map.of("imgstore.s3.endpoint", "http://127.0.0.1:9", "imgstore.s3.region", "eu-west-1"));
        try (RootStorage r = RootStorage.of(s3, endpoint)) {
            assertThat(r.isLocal()).isFalse();
            assertThat(r.root().isLocal()).isFalse();
            assertThat(r.root().root()).isEqualTo(Path.of("/s3/lab-data/recordings"));
            assertThat(r.location()).isEqualTo("s3://lab-data/recordings");
        }
        assertThatThrownBy(() -> RootStorage.of(new StoreProperties("s3://Bad_Bucket/x", false, 0, null, 0, null),
                endpoint)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("imgstore.root: ");
    }
}
