package io.imgstore.testing;

import io.imgstore.format.storage.StoreFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link StoreFiles} that counts the bytes read through it (whole files, streams, channels) and
 * the channels opened, delegating everything to another one. It reports no
 * {@linkplain StoreFiles#localFile local file}, so video chunks are read by FFmpeg through the
 * custom I/O context even when the delegate is the local disk: the way tests force that path.
 */
public final class CountingStoreFiles implements StoreFiles {

    private final StoreFiles delegate;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong channels = new AtomicLong();
    private final AtomicLong openChannels = new AtomicLong();

    public CountingStoreFiles(StoreFiles delegate) {
        this.delegate = delegate;
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return bytes.get();
    }

    /** Channels opened so far. */
    public long channelsOpened() {
        return channels.get();
    }

    /** Channels opened and not closed yet. */
    public long channelsOpen() {
        return openChannels.get();
    }

    public void reset() {
        bytes.set(0);
        channels.set(0);
    }

    @Override
    public byte[] read(Path file) throws IOException {
        byte[] b = delegate.read(file);
        bytes.addAndGet(b.length);
        return b;
    }

    @Override
    public String readString(Path file) throws IOException {
        return new String(read(file), StandardCharsets.UTF_8);
    }

    @Override
    public Reader newReader(Path file) throws IOException {
        return new InputStreamReader(newInputStream(file), StandardCharsets.UTF_8);
    }

    @Override
    public InputStream newInputStream(Path file) throws IOException {
        return new FilterInputStream(delegate.newInputStream(file)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytes.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    bytes.addAndGet(n);
                }
                return n;
            }
        };
    }

    @Override
    public SeekableByteChannel newChannel(Path file) throws IOException {
        SeekableByteChannel c = delegate.newChannel(file);
        channels.incrementAndGet();
        openChannels.incrementAndGet();
        return new SeekableByteChannel() {
            private boolean closed;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                int n = c.read(dst);
                if (n > 0) {
                    bytes.addAndGet(n);
                }
                return n;
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                return c.write(src);
            }

            @Override
            public long position() throws IOException {
                return c.position();
            }

            @Override
            public SeekableByteChannel position(long p) throws IOException {
                c.position(p);
                return this;
            }

            @Override
            public long size() throws IOException {
                return c.size();
            }

            @Override
            public SeekableByteChannel truncate(long size) throws IOException {
                c.truncate(size);
                return this;
            }

            @Override
            public boolean isOpen() {
                return c.isOpen();
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    openChannels.decrementAndGet();
                }
                c.close();
            }
        };
    }

    @Override
    public boolean isFile(Path file) {
        return delegate.isFile(file);
    }

    @Override
    public boolean exists(Path file) {
        return delegate.exists(file);
    }

    @Override
    public boolean isDirectory(Path folder) {
        return delegate.isDirectory(folder);
    }

    @Override
    public long size(Path file) throws IOException {
        return delegate.size(file);
    }

    @Override
    public FileTime lastModified(Path file) throws IOException {
        return delegate.lastModified(file);
    }

    @Override
    public List<Path> list(Path folder) throws IOException {
        return delegate.list(folder);
    }

    @Override
    public Path realPath(Path file) throws IOException {
        return delegate.realPath(file);
    }

    @Override
    public Object fileKey(Path file) {
        return delegate.fileKey(file);
    }
}
