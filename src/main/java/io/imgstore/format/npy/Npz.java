package io.imgstore.format.npy;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** numpy's {@code .npz}: a zip of {@code <name>.npy} members, read with {@link java.util.zip}. */
public final class Npz {

    private Npz() {
    }

    /**
     * Largest member read by default: 64 MiB (an int64 index array of 8 million frames; imgstore chunks
     * hold thousands).
     */
    public static final long DEFAULT_MAX_MEMBER_BYTES = 64L * 1024 * 1024;
    /** A deflated member may declare at most this many times its compressed size (beyond {@link #RATIO_FLOOR}). */
    static final long MAX_RATIO = 100;
    /** Declared sizes up to this are accepted whatever the compression ratio. */
    static final long RATIO_FLOOR = 1024 * 1024;

    /**
     * Reads the named members (all plain members when {@code wanted} is null), each at most
     * {@link #DEFAULT_MAX_MEMBER_BYTES}. See {@link #read(Path, Set, long)}.
     */
    public static Map<String, NpyArray> read(Path file, Set<String> wanted) {
        return read(file, wanted, DEFAULT_MAX_MEMBER_BYTES);
    }

    /**
     * Reads the named members (all plain members when {@code wanted} is null). Object (pickled)
     * members are skipped unread; a wanted member that is an object array is an error.
     *
     * <p>Bounded before anything is allocated or inflated: a member's npy header must declare exactly
     * the member's size in the zip directory, at most {@code maxMemberBytes} of data and, for deflated
     * members, at most {@link #MAX_RATIO} times the compressed size (or {@link #RATIO_FLOOR}); a member
     * is never inflated beyond what its header declares (trailing data is corrupt).
     *
     * @throws CorruptStoreException if the file is not a readable npz, a member breaks those bounds, or a wanted
     *                               member is missing
     */
    public static Map<String, NpyArray> read(Path file, Set<String> wanted, long maxMemberBytes) {
        return read(StoreFiles.LOCAL, file, wanted, maxMemberBytes);
    }

    /** One member of the zip, whichever zip reader found it. */
    private interface Member {
        String name();

        int method();

        long compressedSize();

        long size();

        boolean isDirectory();

        InputStream open() throws IOException;
    }

    /**
     * As {@link #read(Path, Set, long)}, the file read through {@code files}: a local file with
     * {@link ZipFile}, any other through a {@link StoreFiles#newChannel channel} with Apache Commons
     * Compress's {@code ZipFile} (the JDK's needs a {@code java.io.File}); both read the central
     * directory, and the same bounds apply.
     */
    public static Map<String, NpyArray> read(StoreFiles files, Path file, Set<String> wanted, long maxMemberBytes) {
        if (files.localFile(file).isPresent()) {
            try (ZipFile zip = new ZipFile(files.localFile(file).get().toFile())) {
                List<Member> members = new ArrayList<>();
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    members.add(new Member() {
                        public String name() {
                            return e.getName();
                        }

                        public int method() {
                            return e.getMethod();
                        }

                        public long compressedSize() {
                            return e.getCompressedSize();
                        }

                        public long size() {
                            return e.getSize();
                        }

                        public boolean isDirectory() {
                            return e.isDirectory();
                        }

                        public InputStream open() throws IOException {
                            return zip.getInputStream(e);
                        }
                    });
                }
                return read(file, members, wanted, maxMemberBytes);
            } catch (IOException e) {
                throw ioFailure(file, e);
            } catch (CorruptStoreException e) {
                throw e;
            } catch (RuntimeException e) {
                // a malformed zip the JDK reports otherwise (IllegalArgumentException, ...)
                throw new CorruptStoreException("corrupt index " + file.getFileName() + ": " + e, e);
            }
        }
        try (var channel = files.newChannel(file);
             org.apache.commons.compress.archivers.zip.ZipFile zip =
                     org.apache.commons.compress.archivers.zip.ZipFile.builder().setSeekableByteChannel(channel).get()) {
            List<Member> members = new ArrayList<>();
            var entries = zip.getEntries();
            while (entries.hasMoreElements()) {
                var e = entries.nextElement();
                members.add(new Member() {
                    public String name() {
                        return e.getName();
                    }

                    public int method() {
                        return e.getMethod();
                    }

                    public long compressedSize() {
                        return e.getCompressedSize();
                    }

                    public long size() {
                        return e.getSize();
                    }

                    public boolean isDirectory() {
                        return e.isDirectory();
                    }

                    public InputStream open() throws IOException {
                        return zip.getInputStream(e);
                    }
                });
            }
            return read(file, members, wanted, maxMemberBytes);
        } catch (IOException e) {
            throw ioFailure(file, e);
        } catch (CorruptStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptStoreException("corrupt index " + file.getFileName() + ": " + e, e);
        }
    }

    private static CorruptStoreException ioFailure(Path file, IOException e) {
        if (e instanceof ZipException || e instanceof org.apache.commons.compress.archivers.ArchiveException) {
            return new CorruptStoreException("corrupt index " + file.getFileName() + ": " + e.getMessage(), e);
        }
        return new CorruptStoreException("cannot read index " + file.getFileName() + ": " + e.getMessage(), e);
    }

    private static Map<String, NpyArray> read(Path file, List<Member> members, Set<String> wanted, long maxMemberBytes) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try {
            for (Member e : members) {
                String name = e.name().endsWith(".npy") ? e.name().substring(0, e.name().length() - 4) : e.name();
                if (wanted != null && !wanted.contains(name) || e.isDirectory()) {
                    continue;
                }
                long allowed = maxMemberBytes;
                if (e.method() != ZipEntry.STORED) {
                    long compressed = Math.max(0, e.compressedSize());
                    long byRatio = compressed > Long.MAX_VALUE / MAX_RATIO ? Long.MAX_VALUE : compressed * MAX_RATIO;
                    allowed = Math.min(maxMemberBytes, Math.max(RATIO_FLOOR, byRatio));
                }
                try (InputStream in = e.open()) {
                    Npy.Header h = Npy.readHeader(in);
                    if (h.isObject()) {
                        if (wanted != null) {
                            throw new CorruptStoreException(file.getFileName() + ": member '" + name
                                    + "' is a pickled object array (or an unsupported dtype); refusing to unpickle");
                        }
                        continue;
                    }
                    long bytes = h.dataBytes();
                    if (bytes > allowed) {
                        throw new CorruptStoreException("corrupt index " + file.getFileName() + ": member '" + name
                                + "' declares " + bytes + " bytes of data, more than the " + allowed + " allowed"
                                + (allowed < maxMemberBytes ? " for its compressed size of " + e.compressedSize() : ""));
                    }
                    if (e.size() >= 0 && e.size() != h.headerBytes() + bytes) {
                        throw new CorruptStoreException("corrupt index " + file.getFileName() + ": member '" + name
                                + "' is " + e.size() + " bytes but its npy header declares " + (h.headerBytes() + bytes));
                    }
                    NpyArray a = Npy.readData(in, h, -1, allowed);
                    if (in.read() >= 0) {
                        throw new CorruptStoreException("corrupt index " + file.getFileName() + ": member '" + name
                                + "' has data beyond what its npy header declares");
                    }
                    out.put(name, a);
                }
            }
        } catch (ZipException e) {
            throw new CorruptStoreException("corrupt index " + file.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CorruptStoreException("cannot read index " + file.getFileName() + ": " + e.getMessage(), e);
        } catch (CorruptStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            // a malformed zip the JDK reports otherwise (IllegalArgumentException, ...)
            throw new CorruptStoreException("corrupt index " + file.getFileName() + ": " + e, e);
        }
        if (wanted != null) {
            for (String w : wanted) {
                if (!out.containsKey(w)) {
                    throw new CorruptStoreException("index " + file.getFileName() + " has no '" + w + "' array");
                }
            }
        }
        return out;
    }

    /**
     * Writes members uncompressed (as {@code np.savez}) to a temporary file, then moves it into
     * place, so readers never see a half-written index.
     */
    public static void write(Path file, Map<String, NpyArray> members) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream fo = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(fo)) {
                zip.setMethod(ZipOutputStream.STORED);
                for (Map.Entry<String, NpyArray> m : members.entrySet()) {
                    byte[] header = Npy.header(m.getValue().descr(), m.getValue().shape());
                    byte[] data = m.getValue().data();
                    CRC32 crc = new CRC32();
                    crc.update(header);
                    crc.update(data);
                    ZipEntry e = new ZipEntry(m.getKey() + ".npy");
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(header.length + (long) data.length);
                    e.setCrc(crc.getValue());
                    zip.putNextEntry(e);
                    zip.write(header);
                    zip.write(data);
                    zip.closeEntry();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new io.imgstore.format.ImgStoreException("cannot write index " + file + ": " + e.getMessage(), e);
        }
    }
}
