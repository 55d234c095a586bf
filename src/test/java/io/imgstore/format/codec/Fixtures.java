package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The shared reference stores written by Python imgstore ({@code ../shared/fixtures}); read-only. */
final class Fixtures {

    private Fixtures() {
    }

    /** The fixtures folder; skips the calling test when it is absent. */
    static Path root() {
        Path p = Path.of(System.getProperty("imgstore.fixtures", "../shared/fixtures"));
        assumeTrue(Files.isDirectory(p.resolve("generated")), "reference fixtures not found at " + p.toAbsolutePath());
        return p;
    }

    /** One store entry of a manifest.json, with its folder resolved. */
    record Store(Path dir, JsonNode json) {
        String format() {
            return json.get("format").asString();
        }

        String storeClass() {
            return json.get("class").asString();
        }

        boolean color() {
            return json.get("image_shape").size() == 3;
        }

        int height() {
            return json.get("image_shape").get(0).asInt();
        }

        int width() {
            return json.get("image_shape").get(1).asInt();
        }

        int chunksize() {
            return json.get("chunksize").asInt();
        }

        String dtype() {
            return json.get("imgdtype").asString();
        }

        String encoding() {
            JsonNode e = json.get("encoding");
            return e == null || e.isNull() ? "" : e.asString();
        }

        List<Integer> chunks() {
            List<Integer> c = new ArrayList<>();
            json.get("chunks").forEach(n -> c.add(n.asInt()));
            return c;
        }

        /** [frame_index, frame_number] pairs in index order. */
        List<long[]> frames() {
            List<long[]> f = new ArrayList<>();
            json.get("frames").forEach(n -> f.add(new long[] {n.get(0).asLong(), Math.round(n.get(1).asDouble())}));
            return f;
        }

        /** The barcode a frame with this frame number shows. */
        static int barcode(long frameNumber) {
            return (int) Math.floorMod(frameNumber, 65536L);
        }

        /** The chunk's video file ({@code 000001.mp4}, ...), by the store's extension. */
        Path videoChunk(int chunk) {
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
    }

    static List<Store> generated() {
        return load(root().resolve("generated"));
    }

    static List<Store> real() {
        return load(root().resolve("real"));
    }

    private static List<Store> load(Path dir) {
        JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        List<Store> stores = new ArrayList<>();
        m.forEach(n -> stores.add(new Store(dir.resolve(n.get("path").asString()), n)));
        return stores;
    }
}
