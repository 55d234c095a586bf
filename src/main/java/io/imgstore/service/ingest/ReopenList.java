package io.imgstore.service.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <root>/.ingest/reopen}: the stores a graceful shutdown closed, one path a line, reopened for
 * continuation on the next start and then forgotten.
 */
final class ReopenList {

    private static final Logger LOG = LoggerFactory.getLogger(ReopenList.class);
    static final String FILE = ".ingest/reopen";

    private final Path file;

    ReopenList(Path root) {
        this.file = root.resolve(FILE);
    }

    /** The paths listed; none when there is no list or it cannot be read. */
    List<String> read() {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", FILE, e.getMessage());
            return List.of();
        }
    }

    void write(List<String> paths) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, paths, StandardCharsets.UTF_8);
            LOG.info("closed {} open store(s) at shutdown; they are reopened on the next start", paths.size());
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", FILE, e.getMessage());
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", FILE, e.getMessage());
        }
    }
}
