package io.imgstore.service.catalog;

import io.imgstore.format.StoreMetadata;
import java.nio.file.Path;
import java.util.Map;

/**
 * A store found under the root, described from its {@code metadata.yaml} alone (cheap to list).
 *
 * @param id            URL-path-safe id (see {@link StoreIds})
 * @param path          path relative to the root, {@code /}-separated
 * @param dir           absolute folder
 * @param metadata      the {@code __store} block (empty when the file could not be parsed; no user metadata)
 * @param error         why the metadata could not be read, or null
 * @param live          a writer holds the store open ({@code .lock} present)
 */
public record StoreEntry(String id, String path, Path dir, StoreMetadata metadata, String error, boolean live) {

    /** The {@code __store} block (empty when the file could not be parsed). */
    public Map<String, Object> storeMetadata() {
        return metadata.store();
    }

    public String storeClass() {
        return metadata.storeClass();
    }

    public String format() {
        return metadata.format();
    }
}
