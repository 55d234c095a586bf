package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreSpec;
import io.imgstore.service.ingest.CreateStoreRequest;
import io.imgstore.service.ingest.IngestSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The library's own write rate, the reference for the HTTP ingest benchmark (README, "Performance"):
 * writes {@code frames} frames of {@code h x w} gray noise (4 distinct frames, cycled, as
 * {@code examples/push_frames.py} sends them) with {@link ImgStoreWriter}, the same settings the
 * service uses for the format, and prints frames/s.
 *
 * <pre>
 * ./mvnw -o -q test-compile
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.imgstore.bench.IngestBench npy 500 1200 1920 /tmp/bench
 * </pre>
 */
public final class IngestBench {

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        String format = args.length > 0 ? args[0] : "npy";
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int h = args.length > 2 ? Integer.parseInt(args[2]) : 1200;
        int w = args.length > 3 ? Integer.parseInt(args[3]) : 1920;
        Path root = Files.createDirectories(Path.of(args.length > 4 ? args[4] : "/tmp/imgstore-bench"));
        Path dir = root.resolve("library_" + format.replace('/', '_') + "_" + System.nanoTime());
        Random rnd = new Random(1);
        List<Image> images = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] data = new byte[h * w];
            rnd.nextBytes(data);
            images.add(new Image(h, w, 1, PixelType.UINT8, data));
        }
        StoreSpec spec = IngestSessions.specOf(new CreateStoreRequest("x", format, List.of(h, w), "uint8", null,
                Map.of(), null));
        long t = System.nanoTime();
        try (ImgStoreWriter writer = ImgStoreWriter.create(dir, spec)) {
            for (int n = 0; n < frames; n++) {
                writer.addImage(images.get(n % images.size()), n, n / 25.0);
            }
        }
        double s = (System.nanoTime() - t) / 1e9;
        System.out.printf("{\"format\": \"%s\", \"frames\": %d, \"seconds\": %.3f, \"fps\": %.1f}%n", format, frames, s,
                frames / s);
    }
}
