package io.imgstore.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compose profile {@code cluster} of docker/compose.yaml, checked: three replicas of the service image
 * over one top-level named volume (the store root), one nginx of deploy/nginx/Dockerfile whose
 * upstreams are exactly those replicas (compose service names, port 8080), balanced by store-id hash, and
 * started once they are healthy. {@link ComposeClusterProfileTest} checks it without Docker,
 * {@link ClusterContainerIT} runs it.
 */
record ClusterProfile(List<String> replicas, String nginx, String volume, String target) {

    static final String PROFILE = "cluster";
    static final String REPLICA_DOCKERFILE = "docker/Dockerfile";
    static final String NGINX_DOCKERFILE = "deploy/nginx/Dockerfile";

    static ClusterProfile of(ComposeFile compose) {
        List<String> services = compose.servicesOf(PROFILE);
        List<String> replicas = services.stream().filter(s -> REPLICA_DOCKERFILE.equals(compose.dockerfile(s))).toList();
        List<String> nginxes = services.stream().filter(s -> NGINX_DOCKERFILE.equals(compose.dockerfile(s))).toList();
        assertThat(replicas).as("replicas of the profile %s", PROFILE).hasSize(3);
        assertThat(nginxes).as("nginx of the profile %s", PROFILE).hasSize(1);
        String nginx = nginxes.get(0);

        // One shared root: every replica mounts the same top-level named volume, its IMGSTORE_ROOT.
        Set<String> mounts = new LinkedHashSet<>();
        replicas.forEach(s -> mounts.addAll(compose.volumeMounts(s)));
        assertThat(mounts).as("the replicas' volumes").hasSize(1);
        String[] mount = mounts.iterator().next().split(":");
        assertThat(compose.volumes()).as("top-level volumes").containsKey(mount[0]);
        for (String replica : replicas) {
            assertThat(compose.environment(replica)).as(replica).containsEntry("IMGSTORE_ROOT", mount[1]);
            assertThat(compose.environment(replica)).as(replica).isEqualTo(compose.environment(replicas.get(0)));
        }

        // nginx: upstreams are exactly the replicas, hashed by store id, started once they are healthy.
        Map<String, String> env = compose.environment(nginx);
        assertThat(List.of(env.get("IMGSTORE_UPSTREAMS").trim().split("\\s+")))
                .containsExactlyElementsOf(replicas.stream().map(s -> s + ":8080").toList());
        assertThat(env).containsEntry("NGINX_BALANCE", "hash");
        assertThat(compose.dependsOn(nginx)).containsOnlyKeys(replicas);
        compose.dependsOn(nginx).values().forEach(c -> assertThat(c).containsEntry("condition", "service_healthy"));
        return new ClusterProfile(replicas, nginx, mount[0], mount[1]);
    }
}
