package io.imgstore.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The service image under test, built once per JVM by Testcontainers from docker/Dockerfile and
 * the packaged fat jar (target/imgstore.jar), on the base image named by the system property
 * {@code imgstore.docker.base} or the environment variable {@code IMGSTORE_DOCKER_BASE}
 * (default {@value #DEFAULT_BASE}, which docker/build-base.sh makes without a registry).
 *
 * <p>A missing base image or jar fails the tests; it never skips them.
 */
final class ImgstoreImage {

    static final String DEFAULT_BASE = "imgstore-base:local";
    static final int UID = 10001;

    private static ImageFromDockerfile image;
    private static ImageFromDockerfile nginx;

    private ImgstoreImage() {
    }

    static synchronized ImageFromDockerfile get() {
        if (image == null) {
            Path project = projectDir();
            Path jar = jar();
            String base = baseImage();
            requireBaseImage(base);
            String name = "localhost/imgstore-java-it:" + Long.toHexString(System.nanoTime());
            // Removed by our own hook: Testcontainers' deleteOnExit leaves it behind when Ryuk is off.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(name), "remove " + name));
            image = new ImageFromDockerfile(name, false)
                    .withFileFromPath("docker/Dockerfile", project.resolve("docker/Dockerfile"))
                    .withFileFromPath("docker/entrypoint.sh", project.resolve("docker/entrypoint.sh"))
                    .withFileFromPath("docker/healthcheck.sh", project.resolve("docker/healthcheck.sh"))
                    .withFileFromPath("target/imgstore.jar", jar)
                    .withDockerfilePath("docker/Dockerfile")
                    .withBuildArg("BASE_IMAGE", base);
        }
        return image;
    }

    /**
     * The nginx image of the compose profile {@code cluster}, built from deploy/nginx/Dockerfile (Debian's
     * nginx package) on the same base image as the service.
     */
    static synchronized ImageFromDockerfile nginx() {
        if (nginx == null) {
            Path project = projectDir();
            String base = baseImage();
            requireBaseImage(base);
            String name = "localhost/imgstore-nginx-it:" + Long.toHexString(System.nanoTime());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(name), "remove " + name));
            ImageFromDockerfile built = new ImageFromDockerfile(name, false);
            for (String file : new String[] {"Dockerfile", "entrypoint.sh", "healthcheck.sh", "imgstore.conf.template",
                    "render.sh"}) {
                built.withFileFromPath("deploy/nginx/" + file, project.resolve("deploy/nginx/" + file));
            }
            nginx = built.withDockerfilePath("deploy/nginx/Dockerfile").withBuildArg("BASE_IMAGE", base);
        }
        return nginx;
    }

    private static void remove(String name) {
        try {
            DockerClientFactory.instance().client().removeImageCmd(name).withForce(true).exec();
        } catch (RuntimeException e) {
            // never built (the tests failed before), or the engine is gone: nothing to clean up
        }
    }

    static String baseImage() {
        String base = System.getProperty("imgstore.docker.base");
        if (base == null || base.isBlank()) {
            base = System.getenv("IMGSTORE_DOCKER_BASE");
        }
        return base == null || base.isBlank() ? DEFAULT_BASE : base.trim();
    }

    static Path projectDir() {
        return Path.of(System.getProperty("imgstore.project.dir", "")).toAbsolutePath();
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("imgstore.jar", "target/imgstore.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the *ContainerIT tests run in the "
                    + "integration-test phase, after `package` (./mvnw -B verify)");
        }
        return jar;
    }

    /**
     * A ":local" base cannot be pulled: it must exist. Any other name is left to the build, which
     * pulls it from its registry when absent (and fails, failing the test, when it cannot).
     */
    private static void requireBaseImage(String base) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(base).exec();
        } catch (NotFoundException e) {
            if (base.endsWith(":local")) {
                throw new IllegalStateException("Base image " + base + " not found. Build it with "
                        + "`sudo docker/build-base.sh` (CI: .ci/docker-setup.sh does), or point "
                        + "IMGSTORE_DOCKER_BASE at a pullable JRE image such as eclipse-temurin:17-jre", e);
            }
        }
    }
}
