package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.StoreSpec;
import io.imgstore.service.ingest.CreateStoreRequest;
import io.imgstore.service.ingest.IngestSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the "written by our ingest" stores of the HTTP rows of issue #13 ({@code bench/issue13-http.sh}):
 * camera-like frames (barcode strip in the top eighth, a fixed noise texture, fresh noise +-4 on
 * every frame, as {@link PerfCompare}) through {@link ImgStoreWriter} with the spec ingest's
 * {@code POST /stores} builds ({@link IngestSessions#specOf}: avc1/mp4, fragmented, default encoder).
 *
 * <p>Usage: {@code Issue13Stores ROOT GRAY_FRAMES COLOR_FRAMES}: writes {@code ROOT/ingest_gray_1920x1200}
 * and {@code ROOT/ingest_color_512} unless they exist. Not a test; run by the script.
 */
public final class Issue13Stores {

    private Issue13Stores() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        write(root.resolve("ingest_gray_1920x1200"), 1200, 1920, 1, Integer.parseInt(args[1]));
        write(root.resolve("ingest_color_512"), 512, 512, 3, Integer.parseInt(args[2]));
    }

    static void write(Path dir, int h, int w, int c, int frames) {
        if (Files.exists(dir.resolve("metadata.yaml"))) {
            System.out.println("kept " + dir);
            return;
        }
        List<Integer> shape = c == 1 ? List.of(h, w) : List.of(h, w, c);
        StoreSpec spec = IngestSessions.specOf(new CreateStoreRequest(dir.getFileName().toString(), "avc1/mp4", shape,
                "uint8", null, Map.of(), null));
        NoisyTextureFrames camera = new NoisyTextureFrames(h, w, c);
        long t0 = System.nanoTime();
        try (ImgStoreWriter wr = ImgStoreWriter.create(dir, spec)) {
            for (int i = 0; i < frames; i++) {
                Image img = camera.frame(i);
                wr.addImage(img, i, 1.7e9 + i / 25.0);
            }
        }
        System.out.printf(Locale.ROOT, "wrote %s (%d frames) in %.1f s%n", dir, frames, (System.nanoTime() - t0) / 1e9);
    }
}
