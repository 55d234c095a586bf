package io.imgstore.format.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imgstore.format.FileOutsideRootException;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file removed between the confinement check's look and its resolution (a writer finishing a chunk
 * drops its journal while a reader opens the store) is missing, not "outside the root"; a dangling
 * link is still refused.
 */
class ConfinementRaceTest {

    /**
     * The local disk (a local file, so FFmpeg-style by-path checks apply), except that resolving a
     * regular file first deletes it: the writer wins the race.
     */
    private static StoreFiles removedWhileResolving() {
        return (StoreFiles) Proxy.newProxyInstance(StoreFiles.class.getClassLoader(), new Class<?>[] {StoreFiles.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("localFile")) {
                        return Optional.of((Path) args[0]);
                    }
                    if (method.getName().equals("realPath") && Files.isRegularFile((Path) args[0], LinkOption.NOFOLLOW_LINKS)) {
                        Files.delete((Path) args[0]);
                    }
                    try {
                        return method.invoke(StoreFiles.LOCAL, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aFileRemovedWhileItIsCheckedIsMissingNotOutside(@TempDir Path root) throws IOException {
        StoreFiles files = removedWhileResolving();
        Confinement confinement = Confinement.of(files, root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path journal = Files.writeString(store.resolve("000003.journal"), "0 1.0\n");
        assertEquals(journal, confinement.check(journal, store));
        assertEquals(false, Files.exists(journal), "the race happened");
    }

    @Test
    void aDanglingLinkIsStillRefused(@TempDir Path root) throws IOException {
        Confinement confinement = Confinement.of(removedWhileResolving(), root);
        Path store = Files.createDirectories(root.resolve("store"));
        Path link = Files.createSymbolicLink(store.resolve("000003.journal"), root.resolve("nowhere"));
        assertThrows(FileOutsideRootException.class, () -> confinement.check(link, store));
    }
}
