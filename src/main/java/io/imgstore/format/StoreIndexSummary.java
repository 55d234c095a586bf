package io.imgstore.format;

import io.imgstore.format.internal.ChunkIndex;
import io.imgstore.format.internal.Confinement;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * How many frames a store holds and their time range, read from its index files alone
 * ({@code .npz}, legacy {@code .yaml}, or the journal of a chunk being written): no metadata
 * checks, no chunk file and no video decoder opened, so that a listing of thousands of stores stays
 * cheap. A chunk still being written is counted from its journal, which may run a few frames ahead
 * of what {@link ImgStore#open} serves (it counts only frames the video file already holds).
 *
 * @param frameCount   frames in all chunks
 * @param frameTimeMin earliest frame time, or null without frames
 * @param frameTimeMax latest frame time, or null without frames
 */
public record StoreIndexSummary(int frameCount, Double frameTimeMin, Double frameTimeMax) {

    private static final String[] SUFFIXES = {StoreLayout.NPZ_SUFFIX, StoreLayout.YAML_SUFFIX, StoreLayout.JOURNAL_SUFFIX};

    /**
     * Reads the summary of the store in {@code dir}.
     *
     * @param root confinement root (every index file must really be under it), or null for none
     * @throws CorruptStoreException     when an index file cannot be read
     * @throws FileOutsideRootException  when an index file leads outside {@code root}
     */
    public static StoreIndexSummary read(Path dir, Path root) {
        return read(StoreFiles.LOCAL, dir, root);
    }

    /** As {@link #read(Path, Path)}, every file read (and the folder listed) through {@code files}. */
    public static StoreIndexSummary read(StoreFiles files, Path dir, Path root) {
        Confinement c = Confinement.of(files, root);
        int count = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (var chunk : chunkIndexBases(files, dir).entrySet()) {
            if (c.confines()) {
                for (Path f : StoreLayout.indexFiles(chunk.getValue())) {
                    c.check(f, dir); // absent files pass unchecked
                }
            }
            Optional<ChunkIndex> idx = ChunkIndex.load(files, chunk.getKey(), chunk.getValue());
            if (idx.isEmpty()) {
                continue;
            }
            count = Math.addExact(count, idx.get().size());
            for (double t : idx.get().frameTimes()) {
                min = Math.min(min, t);
                max = Math.max(max, t);
            }
        }
        return count == 0 ? new StoreIndexSummary(0, null, null) : new StoreIndexSummary(count, min, max);
    }

    /**
     * A number that changes when an index file of the store in {@code dir} (index, legacy index or
     * journal of any chunk) is added, removed, resized or modified: one folder listing and a few
     * file attributes, for callers that cache a summary until the indexes change.
     */
    public static long stamp(Path dir) {
        return stamp(StoreFiles.LOCAL, dir);
    }

    /** As {@link #stamp(Path)}, asked through {@code files}. */
    public static long stamp(StoreFiles files, Path dir) {
        long h = 1;
        for (var chunk : chunkIndexBases(files, dir).entrySet()) {
            for (Path f : StoreLayout.indexFiles(chunk.getValue())) {
                long size;
                long mtime;
                try {
                    if (files.localFile(f).isPresent()) {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        size = a.size();
                        mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
                    } else {
                        size = files.size(f);
                        mtime = files.lastModified(f).to(TimeUnit.NANOSECONDS);
                    }
                } catch (IOException e) {
                    continue; // absent
                }
                h = 31 * h + chunk.getKey();
                h = 31 * h + f.getFileName().toString().hashCode();
                h = 31 * h + size;
                h = 31 * h + mtime;
            }
        }
        return h;
    }

    /**
     * Chunk number to index base ({@code dir/000000} for a video store's {@code 000000.npz},
     * {@code dir/000000/index} for a directory store's), for every video chunk with an index or
     * journal and every chunk folder.
     */
    private static TreeMap<Integer, Path> chunkIndexBases(StoreFiles files, Path dir) {
        TreeMap<Integer, Path> out = new TreeMap<>();
        try {
            for (Path p : files.list(dir)) {
                String name = p.getFileName().toString();
                if (name.length() > 6 && StoreLayout.CHUNK_NAME.matcher(name.substring(0, 6)).matches()) {
                    String suffix = name.substring(6);
                    for (String s : SUFFIXES) {
                        if (suffix.equals(s)) {
                            out.put(Integer.parseInt(name.substring(0, 6)), dir.resolve(name.substring(0, 6)));
                        }
                    }
                } else if (StoreLayout.CHUNK_NAME.matcher(name).matches() && (files.localFile(p).isPresent()
                        ? Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) : files.isDirectory(p))) {
                    // a chunk folder: its index files (if any) are looked at by the callers
                    out.put(Integer.parseInt(name), p.resolve(StoreLayout.DIRECTORY_INDEX_NAME));
                }
            }
        } catch (IOException e) {
            throw new CorruptStoreException("cannot list store folder: " + e.getMessage(), e);
        }
        return out;
    }
}
