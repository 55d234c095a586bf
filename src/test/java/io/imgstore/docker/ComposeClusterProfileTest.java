package io.imgstore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/compose.yaml parses and its profile {@code cluster} is the topology {@link ClusterContainerIT}
 * runs on Docker (checked here without an engine), and {@link ComposeFile} reads compose files as Compose
 * does: profiles, merge keys, {@code ${NAME:-default}}.
 */
class ComposeClusterProfileTest {

    @Test
    void theClusterProfileIsThreeReplicasOverOneVolumeBehindNginx() throws Exception {
        ComposeFile compose = ComposeFile.load(Path.of("docker/compose.yaml"), Map.of());
        assertThat(compose.servicesOf("none")).containsExactly("imgstore");
        ClusterProfile profile = ClusterProfile.of(compose);
        assertThat(profile.replicas()).containsExactly("imgstore", "imgstore-2", "imgstore-3");
        assertThat(profile.nginx()).isEqualTo("nginx");
        assertThat(profile.volume()).isEqualTo("stores");
        assertThat(profile.target()).isEqualTo("/stores");
        // the compose defaults of the replicas' cluster settings (docs/deployment.md)
        assertThat(compose.environment("imgstore-3"))
                .containsEntry("IMGSTORE_CLUSTER_LEASETTL", "15s").containsEntry("IMGSTORE_CLUSTER_IDLERELEASE", "60s");
        assertThat(ComposeFile.load(Path.of("docker/compose.yaml"), Map.of("IMGSTORE_LEASE_TTL", "3s"))
                .environment("imgstore-2")).containsEntry("IMGSTORE_CLUSTER_LEASETTL", "3s");
    }

    @Test
    void aProfileThatDoesNotMatchIsRefused(@TempDir Path tmp) throws Exception {
        // nginx pointing at two of the three replicas: the check must fail
        Path file = tmp.resolve("compose.yaml");
        Files.writeString(file, """
                x-r: &r
                  build: {context: .., dockerfile: docker/Dockerfile}
                  environment: {IMGSTORE_ROOT: /stores}
                  volumes: ["${IMGSTORE_STORES:-stores}:/stores"]
                services:
                  a: *r
                  b: {<<: *r, profiles: [cluster]}
                  c: {<<: *r, profiles: [cluster]}
                  nginx:
                    profiles: [cluster]
                    build: {context: .., dockerfile: deploy/nginx/Dockerfile}
                    environment: {IMGSTORE_UPSTREAMS: "a:8080 b:8080", NGINX_BALANCE: hash}
                    depends_on: {a: {condition: service_healthy}, b: {condition: service_healthy}}
                volumes:
                  stores:
                """);
        ComposeFile compose = ComposeFile.load(file, Map.of());
        assertThat(compose.servicesOf("cluster")).containsExactly("a", "b", "c", "nginx");
        assertThat(compose.volumeMounts("c")).containsExactly("stores:/stores");
        assertThatThrownBy(() -> ClusterProfile.of(compose)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("c:8080");
    }
}
