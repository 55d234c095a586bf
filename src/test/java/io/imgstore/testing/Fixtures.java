package io.imgstore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The reference stores written by Python imgstore in {@code ../shared/fixtures} (or
 * {@code -Dimgstore.fixtures=...}; never copied into the repository, never written to: use
 * {@link #copy}). Tests that need them call {@link #require()} (or {@link #generated()},
 * {@link #real()}, {@link #all()}): when the folder is absent they skip with a message, except in
 * CI ({@link Ci#isCi()}), where they fail.
 */
public final class Fixtures {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Fixtures() {
    }

    public static Path root() {
        String p = System.getProperty("imgstore.fixtures", "../shared/fixtures");
        return Path.of(p).toAbsolutePath().normalize();
    }

    /** The fixtures folder; when it is absent, a skipped test (locally) or a failed one (CI). */
    public static Path require() {
        Path r = root();
        Ci.require(Files.isRegularFile(r.resolve("generated/manifest.json")),
                "CI=true but the reference fixtures are missing at " + r + " (../shared/fixtures)",
                "reference fixtures not found at " + r + " (../shared/fixtures); skipping");
        return r;
    }

    /** One store entry of a manifest.json, with its folder resolved. */
    public record Store(Path dir, JsonNode manifest) {

        public String name() {
            return manifest.get("path").asText();
        }

        public String format() {
            return manifest.get("format").asString();
        }

        public String storeClass() {
            return manifest.get("class").asString();
        }

        public boolean color() {
            return manifest.get("image_shape").size() == 3;
        }

        public int height() {
            return manifest.get("image_shape").get(0).asInt();
        }

        public int width() {
            return manifest.get("image_shape").get(1).asInt();
        }

        public int chunksize() {
            return manifest.get("chunksize").asInt();
        }

        public String dtype() {
            return manifest.get("imgdtype").asString();
        }

        public String encoding() {
            JsonNode e = manifest.get("encoding");
            return e == null || e.isNull() ? "" : e.asString();
        }

        public List<Integer> chunks() {
            List<Integer> c = new ArrayList<>();
            manifest.get("chunks").forEach(n -> c.add(n.asInt()));
            return c;
        }

        /** [frame_index, frame_number] pairs in index order, frame numbers rounded. */
        public List<long[]> frames() {
            List<long[]> f = new ArrayList<>();
            manifest.get("frames").forEach(n -> f.add(new long[] {n.get(0).asLong(), Math.round(n.get(1).asDouble())}));
            return f;
        }

        /** The barcode a frame with this frame number shows. */
        public static int barcode(long frameNumber) {
            return Barcode.expected(frameNumber);
        }

        /** The chunk's video file ({@code 000001.mp4}, ...), by the store's extension. */
        public Path videoChunk(int chunk) {
            String base = String.format("%06d", chunk);
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(base + ".") && (n.endsWith(".mp4") || n.endsWith(".avi") || n.endsWith(".mkv"));
                }).findFirst().orElseThrow(() -> new AssertionError("no video file for chunk " + chunk + " in " + dir));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
