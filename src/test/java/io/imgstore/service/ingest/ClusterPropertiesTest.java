package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code imgstore.cluster.*} as Spring binds it: defaults, and the opt-in to unsafe object-storage leases. */
class ClusterPropertiesTest {

    private static ClusterProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("imgstore.cluster",
                ClusterProperties.class);
    }

    @Test
    void unsafeObjectLeasesAreRefusedUnlessExplicitlyAllowed() {
        ClusterProperties defaults = bind(Map.of());
        assertThat(defaults.allowUnsafeObjectLeases()).isFalse();
        assertThat(defaults.leaseTtl()).isEqualTo(Duration.ofSeconds(15));
        assertThat(bind(Map.of("imgstore.cluster.allow-unsafe-object-leases", "true")).allowUnsafeObjectLeases())
                .isTrue();
        assertThat(bind(Map.of("imgstore.cluster.allow-unsafe-object-leases", "false")).allowUnsafeObjectLeases())
                .isFalse();
    }
}
