package io.imgstore.service.read;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.testing.Barcode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Small stores written with the format library for the integration tests. */
final class TestStores {

    static final double T0 = 1700300166.2857847;

    private TestStores() {
    }

    /** A fresh temporary folder, deleted when the JVM exits. */
    static Path tempRoot(String prefix) {
        try {
            Path root = Files.createTempDirectory(prefix).toRealPath();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    /** Frame number of frame index {@code i} in {@link #write}: {@code first + i * step}. */
    static long number(long first, int step, int i) {
        return first + (long) i * step;
    }

    static double time(int i) {
        return T0 + i * 0.1;
    }

    /**
     * Writes {@code frames} barcode frames numbered {@code first + i * step}, timed {@link #time(int)},
     * with extra data on every 5th frame.
     */
    static Path write(Path dir, StoreFormat format, int h, int w, int channels, PixelType type, int chunksize,
                      int frames, long first, int step) {
        int[] shape = channels == 3 ? new int[] {h, w, 3} : new int[] {h, w};
        StoreSpec spec = new StoreSpec(format, shape, type, chunksize, Map.of("rig", Map.of("id", 7), "note", "ü"),
                null, null);
        try (ImgStoreWriter writer = ImgStoreWriter.create(dir, spec)) {
            for (int i = 0; i < frames; i++) {
                long n = number(first, step, i);
                writer.addImage(Barcode.draw(n, h, w, channels, type), n, time(i));
                if (i % 5 == 0) {
                    writer.addExtraData(Map.of("temperature", 20.5 + i, "label", "ok, " + i));
                }
            }
        }
        return dir;
    }
}
