package io.imgstore.format.npy;

import io.imgstore.format.CorruptStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.LinkedHashMap;
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
     * Reads the named members (all plain members when {@code wanted} is null). Object (pickled)
     * members are skipped unread; a wanted member that is an object array is an error.
     *
     * @throws CorruptStoreException if the file is not a readable npz or a wanted member is missing
     */
    public static Map<String, NpyArray> read(Path file, Set<String> wanted) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                if (wanted != null && !wanted.contains(name)) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    Npy.Header h = Npy.readHeader(in);
                    if (h.isObject()) {
                        if (wanted != null) {
                            throw new CorruptStoreException(file.getFileName() + ": member '" + name
                                    + "' is a pickled object array; refusing to unpickle");
                        }
                        continue;
                    }
                }
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name, Npy.read(in));
                }
            }
        } catch (ZipException e) {
            throw new CorruptStoreException("corrupt index " + file.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CorruptStoreException("cannot read index " + file.getFileName() + ": " + e.getMessage(), e);
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
