package io.imgstore.service.read;

import io.imgstore.format.FrameBarcode;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * With {@code imgstore.demo=true} and no store under the root at start, writes {@code demo/barcodes}:
 * {@value #FRAMES} colour frames of 320x240 at 25 fps, each showing its frame number as a
 * {@link FrameBarcode} (16 vertical bands, most significant bit left; blue and green carry the bits,
 * red their inverse), in {@value #CHUNKSIZE}-frame chunks of H.264 video ({@code avc1/mp4}), with extra data
 * (a temperature and an LED state) for every frame. Falls back to {@code npy} when this build cannot
 * encode video.
 */
@Component
class DemoStore implements ApplicationRunner {

    static final String PATH = "demo/barcodes";
    static final int FRAMES = 300;
    static final int CHUNKSIZE = 100;
    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    private static final Logger LOG = LoggerFactory.getLogger(DemoStore.class);

    private final StoreCatalog catalog;
    private final StoreProperties properties;

    DemoStore(StoreCatalog catalog, StoreProperties properties) {
        this.catalog = catalog;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.demo() || catalog.files().localFile(catalog.root()).isEmpty() || !catalog.list().isEmpty()) {
            return;
        }
        Path dir = catalog.root().resolve(PATH);
        if (Files.exists(dir)) {
            return;
        }
        try {
            write(dir, StoreFormat.AVC1_MP4);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("cannot write the demo store as {} ({}); writing npy instead", StoreFormat.AVC1_MP4, e.toString());
            deleteQuietly(dir);
            write(dir, StoreFormat.NPY);
        }
        catalog.refresh();
        LOG.info("wrote demo store {} ({} frames) under {}", PATH, FRAMES, catalog.root());
    }

    static void write(Path dir, StoreFormat format) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("description", "demo store: every frame shows its frame number as a 16-bit barcode");
        user.put("generated_by", "imgstore-java");
        StoreSpec spec = StoreSpec.of(format, HEIGHT, WIDTH, 3).withChunksize(CHUNKSIZE).withUserMetadata(user);
        double t0 = System.currentTimeMillis() / 1000.0;
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, spec)) {
            for (int n = 0; n < FRAMES; n++) {
                w.addImage(FrameBarcode.draw(n, HEIGHT, WIDTH, 3, PixelType.UINT8), n, t0 + n / 25.0);
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("temperature", Math.round((21.0 + Math.sin(n / 30.0)) * 1000) / 1000.0);
                extra.put("led", n % 50 < 25);
                w.addExtraData(extra);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot remove partial demo store: {}", e.toString());
        }
    }
}
