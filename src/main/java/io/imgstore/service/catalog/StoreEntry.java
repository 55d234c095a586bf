package io.imgstore.service.catalog;

import java.nio.file.Path;
import java.util.Map;

/**
 * A store found under the root, described from its {@code metadata.yaml} alone (cheap to list).
 *
 * @param id            URL-path-safe id (see {@link StoreIds})
 * @param path          path relative to the root, {@code /}-separated
 * @param dir           absolute folder
 * @param storeMetadata the {@code __store} block (empty when the file could not be parsed)
 * @param error         why the metadata could not be read, or null
 * @param live          a writer holds the store open ({@code .lock} present)
 */
public record StoreEntry(String id, String path, Path dir, Map<String, Object> storeMetadata, String error, boolean live) {

    public String storeClass() {
        Object c = storeMetadata.get("class");
        return c == null ? null : c.toString();
    }

    public String format() {
        Object f = storeMetadata.get("format");
        return f == null ? null : f.toString();
    }
}
