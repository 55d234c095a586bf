package io.imgstore.service.bulk;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.testing.Barcode;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongPredicate;

/** Barcode stores for the bulk and alignment tests. */
final class BulkStores {

    static final double T0 = 1700300166.2857847;

    private BulkStores() {
    }

    static double time(long number) {
        return T0 + number / 30.0;
    }

    /**
     * Frames numbered {@code first .. last} except those {@code skip} matches, each showing its
     * number's barcode, timed {@link #time}.
     */
    static Path write(Path dir, StoreFormat format, int h, int w, int channels, int chunksize, long first, long last,
                      LongPredicate skip) {
        int[] shape = channels == 3 ? new int[] {h, w, 3} : new int[] {h, w};
        StoreSpec spec = new StoreSpec(format, shape, PixelType.UINT8, chunksize, Map.of(), null, null);
        try (ImgStoreWriter writer = ImgStoreWriter.create(dir, spec)) {
            for (long n = first; n <= last; n++) {
                if (!skip.test(n)) {
                    writer.addImage(Barcode.draw(n, h, w, channels, PixelType.UINT8), n, time(n));
                }
            }
        }
        return dir;
    }
}
