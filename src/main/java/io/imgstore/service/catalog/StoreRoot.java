package io.imgstore.service.catalog;

import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the service's stores are and how their files are read: the one place that pairs the root
 * with its {@link StoreFiles}. The catalog (listing, ids to folders, metadata), the registry of open
 * stores and the index summaries take both from here, so another storage (object storage) only has
 * to build another {@code StoreRoot}; today it is always {@link #local} ({@link StoreRootConfig}).
 * Writes (ingest, recovery) still go to the local folder.
 *
 * @param files how store files are read
 * @param root  the root folder, absolute and normalized
 */
public record StoreRoot(StoreFiles files, Path root) {

    public StoreRoot {
        Objects.requireNonNull(files, "files");
        root = root.toAbsolutePath().normalize();
    }

    /** A folder on the local disk, created when absent. */
    public static StoreRoot local(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use store root " + root, e);
        }
        return new StoreRoot(StoreFiles.LOCAL, root);
    }

    /** True when the stores are files on the local disk (the catalog then walks the folder with the JDK). */
    public boolean isLocal() {
        return files.localFile(root).isPresent();
    }
}
