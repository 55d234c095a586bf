package io.imgstore.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reference stores written by Python imgstore in {@code ../shared/fixtures} (never copied into
 * the repository). Tests that need them skip with a message when the folder is absent.
 */
public final class Fixtures {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Fixtures() {
    }

    public static Path root() {
        String p = System.getProperty("imgstore.fixtures", "../shared/fixtures");
        return Path.of(p).toAbsolutePath().normalize();
    }

    /** The fixtures folder, or a skipped test when it is absent. */
    public static Path require() {
        Path r = root();
        assumeTrue(Files.isRegularFile(r.resolve("generated/manifest.json")),
                "reference fixtures not found at " + r + " (../shared/fixtures); skipping");
        return r;
    }

    /** One store of a manifest. */
    public record Store(Path dir, JsonNode manifest) {

        public String name() {
            return manifest.get("path").asText();
        }

        public int frameCount() {
            return manifest.get("frame_count").asInt();
        }

        /** [frame_index, frame_number, frame_time] per frame. */
        public List<long[]> frameNumbers() {
            List<long[]> out = new ArrayList<>();
            for (JsonNode f : manifest.get("frames")) {
                out.add(new long[] {f.get(0).asLong(), f.get(1).asLong()});
            }
            return out;
        }

        public double frameTime(int index) {
            return manifest.get("frames").get(index).get(2).asDouble();
        }

        public boolean lossless() {
            return manifest.get("lossless").asBoolean();
        }

        @Override
        public String toString() {
            return name();
        }
    }

    public static List<Store> generated() {
        return manifest(require().resolve("generated"));
    }

    public static List<Store> real() {
        return manifest(require().resolve("real"));
    }

    public static List<Store> all() {
        List<Store> s = new ArrayList<>(generated());
        s.addAll(real());
        return s;
    }

    private static List<Store> manifest(Path dir) {
        try {
            JsonNode m = JSON.readTree(Files.readString(dir.resolve("manifest.json")));
            List<Store> out = new ArrayList<>();
            if (m.isArray()) {
                for (JsonNode s : m) {
                    out.add(new Store(dir.resolve(s.get("path").asText()), s));
                }
            } else {
                out.add(new Store(dir.resolve(m.get("path").asText()), m));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a fixture store into {@code target} (tests must never write into the fixtures). */
    public static Path copy(Path store, Path target) throws IOException {
        try (Stream<Path> s = Files.walk(store)) {
            for (Path p : s.toList()) {
                Path t = target.resolve(store.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    t.toFile().setWritable(true);
                }
            }
        }
        target.toFile().setWritable(true);
        return target;
    }

    public static Map<String, Object> toMap(JsonNode n) {
        return JSON.convertValue(n, Map.class);
    }
}
