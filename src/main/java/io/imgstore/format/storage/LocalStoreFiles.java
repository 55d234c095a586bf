package io.imgstore.format.storage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link StoreFiles} on the local file system ({@link java.nio.file.Files}). */
public final class LocalStoreFiles implements StoreFiles {

    LocalStoreFiles() {
    }

    @Override
    public byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    @Override
    public String readString(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public Reader newReader(Path file) throws IOException {
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    @Override
    public InputStream newInputStream(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file));
    }

    @Override
    public SeekableByteChannel newChannel(Path file) throws IOException {
        return Files.newByteChannel(file, StandardOpenOption.READ);
    }

    @Override
    public boolean isFile(Path file) {
        return Files.isRegularFile(file);
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file);
    }

    @Override
    public long size(Path file) throws IOException {
        return Files.size(file);
    }

    @Override
    public FileTime lastModified(Path file) throws IOException {
        return Files.getLastModifiedTime(file);
    }

    @Override
    public List<Path> list(Path folder) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            ds.forEach(out::add);
        }
        return out;
    }

    @Override
    public Path realPath(Path file) throws IOException {
        return file.toRealPath();
    }

    /** The file itself: FFmpeg opens local chunks by path. */
    @Override
    public Optional<Path> localFile(Path file) {
        return Optional.of(file);
    }

    @Override
    public boolean isDirectory(Path folder) {
        return Files.isDirectory(folder);
    }

    @Override
    public Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "LocalStoreFiles";
    }
}
