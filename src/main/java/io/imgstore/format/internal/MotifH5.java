package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Motif's {@code NNNNNN.extra_data.h5}, read with jhdf. */
final class MotifH5 {

    private MotifH5() {
    }

    static List<Map<String, Object>> read(Path file) {
        throw new CorruptStoreException("HDF5 extra data not yet supported: " + file.getFileName());
    }
}
