package io.imgstore.format.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imgstore.format.FileOutsideRootException;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file removed between the confinement check's look and its resolution (a writer finishing a chunk
 * drops its journal while a reader opens the store) is missing, not "outside the root"; a dangling
 * link is still refused.
 */
class ConfinementRaceTest {

    /** The local disk, except that resolving a path first deletes the file (the writer wins the race). */
    private static final class RemovedWhileResolving implements StoreFiles {
        @Override
        public Optional<Path> localFile(Path file) {
            return Optional.of(file);
        }

        @Override
        public Path realPath(Path file) throws IOException {
            if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(file);
            }
            return LOCAL.realPath(file);
        }

        @Override
        public byte[] read(Path file) throws IOException {
            return LOCAL.read(file);
        }

        @Override
        public String readString(Path file) throws IOException {
            return LOCAL.readString(file);
        }

        @Override
        public Reader newReader(Path file) throws IOException {
            return LOCAL.newReader(file);
        }

        @Override
        public InputStream newInputStream(Path file) throws IOException {
            return LOCAL.newInputStream(file);
        }

        @Override
        public SeekableByteChannel newChannel(Path file) throws IOException {
            return LOCAL.newChannel(file);
        }

        @Override
        public boolean isFile(Path file) {
            return LOCAL.isFile(file);
        }

        @Override
        public boolean exists(Path file) {
            return LOCAL.exists(file);
        }

        @Override
        public long size(Path file) throws IOException {
            return LOCAL.size(file);
        }

        @Override
        public FileTime lastModified(Path file) throws IOException {
            return LOCAL.lastModified(file);
        }

        @Override
        public List<Path> list(Path folder) throws IOException {
            return LOCAL.list(folder);
        }
    }

    @Test
    void aFileRemovedWhileItIsCheckedIsMissingNotOutside(@TempDir Path root) throws IOException {
        StoreFiles files = new RemovedWhileResolving();
        Confinement confinement = Confinement.of(files, root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path journal = Files.writeString(store.resolve("000003.journal"), "0 1.0\n");
        assertEquals(journal, confinement.check(journal, store));
        assertEquals(false, Files.exists(journal), "the race happened");
    }

    @Test
    void aDanglingLinkIsStillRefused(@TempDir Path root) throws IOException {
        Confinement confinement = Confinement.of(new RemovedWhileResolving(), root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path link = Files.createSymbolicLink(store.resolve("000003.journal"), root.resolve("nowhere"));
        assertThrows(FileOutsideRootException.class, () -> confinement.check(link, store));
    }
}
