package io.imgstore.format.internal;

import io.imgstore.format.FileOutsideRootException;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the files of a store may really be: every file a reader opens is resolved
 * ({@link Path#toRealPath}, all links followed) and refused with {@link FileOutsideRootException}
 * when it leads outside the root. {@link #NONE} (the library's default, the CLI's) checks nothing.
 * The checked file is opened through its real path, so a link swapped after the check cannot
 * redirect the open.
 */
public final class Confinement {

    public static final Confinement NONE = new Confinement(StoreFiles.LOCAL, null);

    private final StoreFiles files;
    private final Path realRoot;

    private Confinement(StoreFiles files, Path realRoot) {
        this.files = files;
        this.realRoot = realRoot;
    }

    /** Files must really be under {@code root} (resolved once, now) on the local file system. */
    public static Confinement of(Path root) {
        return of(StoreFiles.LOCAL, root);
    }

    /**
     * Files must really be under {@code root} (resolved once, now, through {@code files}: links are
     * resolved with {@link StoreFiles#realPath}).
     */
    public static Confinement of(StoreFiles files, Path root) {
        if (root == null) {
            return NONE;
        }
        try {
            return new Confinement(files, files.realPath(root));
        } catch (IOException e) {
            throw new ImgStoreException("cannot resolve confinement root: " + e.getMessage(), e);
        }
    }

    public boolean confines() {
        return realRoot != null;
    }

    /**
     * The path to open for {@code file}: itself without confinement or when it does not exist (the
     * caller reports missing files as before), else its real path when that is under the root.
     *
     * @throws FileOutsideRootException when the file resolves outside the root
     */
    public Path check(Path file, Path storeDir) {
        if (realRoot == null) {
            return file;
        }
        if (!present(file)) {
            return file;
        }
        Path real;
        try {
            real = files.realPath(file);
        } catch (NoSuchFileException e) {
            if (!present(file)) {
                // removed since the check above (a writer finished the chunk and dropped its journal):
                // missing, as if it had never been there
                return file;
            }
            // a dangling link: refuse it like a link leading out (it names nothing inside the root)
            throw outside(file, storeDir);
        } catch (IOException e) {
            throw new ImgStoreException("cannot resolve " + name(file, storeDir) + ": " + e.getClass().getSimpleName(), e);
        }
        if (!real.startsWith(realRoot)) {
            throw outside(file, storeDir);
        }
        return real;
    }

    /** Whether the entry itself exists (a link counts, whatever it points to). */
    private boolean present(Path file) {
        return files.localFile(file).isPresent() ? Files.exists(file, LinkOption.NOFOLLOW_LINKS) : files.exists(file);
    }

    private static FileOutsideRootException outside(Path file, Path storeDir) {
        return new FileOutsideRootException(name(file, storeDir) + " leads outside the store root (symbolic link); not read");
    }

    /** The file's name relative to its store folder (never an absolute path). */
    static String name(Path file, Path storeDir) {
        if (storeDir != null) {
            Path f = file.toAbsolutePath().normalize();
            Path d = storeDir.toAbsolutePath().normalize();
            if (f.startsWith(d) && !f.equals(d)) {
                return d.relativize(f).toString().replace('\\', '/');
            }
        }
        return String.valueOf(file.getFileName());
    }
}
