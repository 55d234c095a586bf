package io.imgstore.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lease generations as files {@code .lease.<generation>} in the store folder (local disk or NFS).
 *
 * <p>{@link #createNew} writes the record to a temporary file, then {@code link(2)}s it to the
 * generation's name: a hard link is created atomically and fails when the name exists, on local
 * filesystems and on NFS (the classic NFS-safe lock, see {@code open(2)} on {@code O_EXCL}), and the
 * file appears with its full content. Where hard links are not supported it falls back to an
 * {@code O_EXCL} create ({@link StandardOpenOption#CREATE_NEW}), still exclusive, whose content may
 * be read half-written for a moment ({@link #read} then reports it held until its mtime plus the TTL).
 * {@link #overwrite} writes a temporary file and renames it over the generation ({@code rename(2)}
 * is atomic for readers). Every file is fsynced before it is linked or renamed. Files are never
 * followed through symbolic links.
 */
final class LocalLeaseFiles implements LeaseFiles {

    static final String PREFIX = StoreLayout.LEASE_PREFIX;
    private static final Pattern NAME = Pattern.compile("\\.lease\\.(\\d{1,18})");

    private final Path dir;

    LocalLeaseFiles(Path dir) {
        this.dir = dir;
    }

    Path file(long gen) {
        return dir.resolve(PREFIX + gen);
    }

    @Override
    public OptionalLong highest() throws IOException {
        long max = -1;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : files) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    max = Math.max(max, Long.parseLong(m.group(1)));
                }
            }
        }
        return max < 0 ? OptionalLong.empty() : OptionalLong.of(max);
    }

    @Override
    public boolean exists(long gen) {
        return Files.exists(file(gen), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Optional<LeaseRecord> read(long gen, long ttlMillis) throws IOException {
        Path f = file(gen);
        String text;
        long modified;
        try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            modified = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .lastModifiedTime().toMillis();
            ByteBuffer buf = ByteBuffer.allocate(LeaseRecord.MAX_BYTES + 1);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // bounded: at most MAX_BYTES + 1 bytes are read whatever the file's size
            }
            text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            // a symbolic link (ELOOP with NOFOLLOW_LINKS) or a directory: not a lease we wrote
            return Optional.of(new LeaseRecord("unknown", Long.MAX_VALUE, false));
        }
        try {
            return Optional.of(LeaseRecord.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.of(new LeaseRecord("unknown", modified + ttlMillis, false));
        }
    }

    @Override
    public boolean createNew(long gen, LeaseRecord record) throws IOException {
        Path tmp = writeTemp(record);
        try {
            try {
                Files.createLink(file(gen), tmp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException) {
                    return false;
                }
                // no hard links here: O_EXCL create, then the content
                try (FileChannel ch = FileChannel.open(file(gen), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(record.toText().getBytes(StandardCharsets.UTF_8)));
                    ch.force(true);
                    return true;
                } catch (FileAlreadyExistsException exists) {
                    return false;
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public boolean overwrite(long gen, LeaseRecord record) throws IOException {
        Path tmp = writeTemp(record);
        try {
            Files.move(tmp, file(gen), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true; // rename(2) has no condition: the protocol's re-checks around it detect a takeover
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void deleteBelow(long gen) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : files) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(1)) < gen) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Path writeTemp(LeaseRecord record) throws IOException {
        Path tmp = dir.resolve(StoreLayout.LEASE_TEMP_PREFIX + UUID.randomUUID());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(record.toText().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        return tmp;
    }
}
