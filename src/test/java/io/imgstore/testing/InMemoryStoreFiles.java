package io.imgstore.testing;

import io.imgstore.format.storage.StoreFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A {@link StoreFiles} that holds files in memory under synthetic paths that do not exist on disk
 * ({@code /nonexistent-mem/<name>}), with no {@linkplain StoreFiles#localFile local file}: a store
 * read through it proves that every read goes through the seam (anything that opened a path by
 * itself would find nothing). Read-only once loaded; thread-safe.
 */
public final class InMemoryStoreFiles implements StoreFiles {

    /** The root of the synthetic paths; must not exist on disk. */
    public static final Path ROOT = Path.of("/nonexistent-mem");

    private static final FileTime LOADED = FileTime.fromMillis(1_700_000_000_000L);

    private final Map<Path, byte[]> files = new ConcurrentHashMap<>();
    private final Set<Path> folders = ConcurrentHashMap.newKeySet();

    public InMemoryStoreFiles() {
        if (Files.exists(ROOT)) {
            throw new IllegalStateException(ROOT + " exists on disk; the in-memory paths must not");
        }
        folders.add(ROOT);
    }

    /** Copies every file under {@code source} (a folder on disk) to {@code ROOT/name/...}; returns that folder. */
    public Path load(Path source, String name) {
        Path target = ROOT.resolve(name);
        addFolder(target);
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = source.relativize(p);
                Path t = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    addFolder(t);
                } else if (Files.isRegularFile(p)) {
                    addFolder(t.getParent());
                    files.put(t, Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private void addFolder(Path p) {
        for (Path q = p; q != null; q = q.getParent()) {
            folders.add(q);
        }
    }

    private byte[] bytes(Path file) throws NoSuchFileException {
        byte[] b = files.get(file.toAbsolutePath().normalize());
        if (b == null) {
            throw new NoSuchFileException(file.toString());
        }
        return b;
    }

    @Override
    public byte[] read(Path file) throws IOException {
        return bytes(file).clone();
    }

    @Override
    public String readString(Path file) throws IOException {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    @Override
    public Reader newReader(Path file) throws IOException {
        return new InputStreamReader(newInputStream(file), StandardCharsets.UTF_8);
    }

    @Override
    public InputStream newInputStream(Path file) throws IOException {
        return new ByteArrayInputStream(bytes(file));
    }

    @Override
    public SeekableByteChannel newChannel(Path file) throws IOException {
        return new ReadOnlyChannel(bytes(file));
    }

    @Override
    public boolean isFile(Path file) {
        return files.containsKey(file.toAbsolutePath().normalize());
    }

    @Override
    public boolean exists(Path file) {
        Path p = file.toAbsolutePath().normalize();
        return files.containsKey(p) || folders.contains(p);
    }

    @Override
    public boolean isDirectory(Path folder) {
        return folders.contains(folder.toAbsolutePath().normalize());
    }

    @Override
    public long size(Path file) throws IOException {
        return bytes(file).length;
    }

    @Override
    public FileTime lastModified(Path file) throws IOException {
        if (!exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return LOADED;
    }

    @Override
    public List<Path> list(Path folder) throws IOException {
        Path dir = folder.toAbsolutePath().normalize();
        if (!folders.contains(dir)) {
            throw new NoSuchFileException(folder.toString());
        }
        List<Path> out = new ArrayList<>();
        for (Path p : files.keySet()) {
            if (dir.equals(p.getParent())) {
                out.add(p);
            }
        }
        for (Path p : folders) {
            if (dir.equals(p.getParent())) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public Path realPath(Path file) throws IOException {
        Path p = file.toAbsolutePath().normalize();
        if (!exists(p)) {
            throw new NoSuchFileException(file.toString());
        }
        return p; // no links in memory
    }

    @Override
    public String toString() {
        return "InMemoryStoreFiles[" + files.size() + " files]";
    }

    /** A read-only channel over a byte array (the JDK has none). */
    static final class ReadOnlyChannel implements SeekableByteChannel {
        private final byte[] data;
        private long position;
        private boolean open = true;

        ReadOnlyChannel(byte[] data) {
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            ensureOpen();
            if (position >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - position);
            dst.put(data, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            ensureOpen();
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            ensureOpen();
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position");
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            ensureOpen();
            return data.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }

        private void ensureOpen() throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }
}
