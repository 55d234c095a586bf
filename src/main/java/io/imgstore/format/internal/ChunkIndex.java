package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.npy.NpyArray;
import io.imgstore.format.npy.Npz;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The index of one chunk: the frame numbers and times of its frames, in order. Stored beside the
 * chunk as {@code <base>.npz} (numpy) or {@code <base>.yaml}.
 *
 * @param chunk        the chunk number (000000 -> 0)
 * @param frameNumbers frame numbers in chunk order
 * @param frameTimes   frame times in chunk order
 */
public record ChunkIndex(int chunk, long[] frameNumbers, double[] frameTimes) {

    public static final Set<String> FRAME_MD = Set.of("frame_number", "frame_time");
    /**
     * Largest {@code frame_number}/{@code frame_time} member of an index: 8 bytes x 4 million frames
     * (imgstore chunks hold thousands of frames).
     */
    public static final long MAX_INDEX_MEMBER_BYTES = 8L * 4 * 1024 * 1024;
    /** Largest {@code .yaml} index read. */
    static final long MAX_YAML_INDEX_BYTES = 64L * 1024 * 1024;

    public ChunkIndex {
        if (frameNumbers.length != frameTimes.length) {
            throw new CorruptStoreException("chunk " + chunk + " index has " + frameNumbers.length
                    + " frame numbers but " + frameTimes.length + " frame times");
        }
    }

    public int size() {
        return frameNumbers.length;
    }

    /**
     * Loads {@code base.npz}, else {@code base.yaml}, else the {@link Journal} of a chunk still being
     * written (or left by a killed writer); empty when there is none.
     *
     * @throws CorruptStoreException when an index file exists but cannot be read
     */
    public static Optional<ChunkIndex> load(int chunk, Path pathWithoutExtension) {
        return load(StoreFiles.LOCAL, chunk, pathWithoutExtension);
    }

    /** As {@link #load(int, Path)}, every file read through {@code files}. */
    public static Optional<ChunkIndex> load(StoreFiles files, int chunk, Path pathWithoutExtension) {
        Path npz = StoreLayout.withSuffix(pathWithoutExtension, StoreLayout.NPZ_SUFFIX);
        if (files.isFile(npz)) {
            // bounded (see Npz.read); a corrupt index is remembered until it changes, so it costs once
            return Optional.of(CorruptFiles.read(files, npz, f -> {
                Map<String, NpyArray> m = Npz.read(files, f, FRAME_MD, MAX_INDEX_MEMBER_BYTES);
                return new ChunkIndex(chunk, m.get("frame_number").toLongs(), m.get("frame_time").toDoubles());
            }));
        }
        Path yaml = StoreLayout.withSuffix(pathWithoutExtension, StoreLayout.YAML_SUFFIX);
        if (files.isFile(yaml)) {
            return Optional.of(CorruptFiles.read(files, yaml, f -> loadYaml(files, chunk, f)));
        }
        return Journal.read(files, chunk, pathWithoutExtension);
    }

    private static ChunkIndex loadYaml(StoreFiles files, int chunk, Path yaml) {
        try (Reader r = files.newReader(yaml)) {
            if (files.size(yaml) > MAX_YAML_INDEX_BYTES) {
                throw new CorruptStoreException("index " + yaml.getFileName() + " is larger than "
                        + MAX_YAML_INDEX_BYTES + " bytes");
            }
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit((int) MAX_YAML_INDEX_BYTES);
            Object doc = new Yaml(new SafeConstructor(options)).load(r);
            if (!(doc instanceof Map<?, ?> m) || !(m.get("frame_number") instanceof List<?> fn)
                    || !(m.get("frame_time") instanceof List<?> ft)) {
                throw new CorruptStoreException("index " + yaml.getFileName() + " lacks frame_number/frame_time lists");
            }
            if (!fn.stream().allMatch(v -> v instanceof Number) || !ft.stream().allMatch(v -> v instanceof Number)) {
                throw new CorruptStoreException("index " + yaml.getFileName() + " has non-numeric frame numbers or times");
            }
            long[] numbers = fn.stream().mapToLong(v -> ((Number) v).longValue()).toArray();
            double[] times = ft.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
            return new ChunkIndex(chunk, numbers, times);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptStoreException c) {
                throw c;
            }
            throw new CorruptStoreException("corrupt index " + yaml.getFileName() + ": " + (e instanceof org.yaml.snakeyaml.error.YAMLException y ? MetadataYaml.describe(y) : e.getMessage()), e instanceof org.yaml.snakeyaml.error.YAMLException ? null : e);
        }
    }

    /**
     * Writes {@code base.npz} with {@code frame_number} (int64), {@code frame_time} (float64) and the
     * store's metadata fields as plain arrays (numpy's savez of imgstore writes them too; we never
     * write pickles, so a {@code null} value is left out).
     */
    public void writeNpz(Path pathWithoutExtension, Map<String, Object> storeMetadata) {
        Map<String, NpyArray> members = new LinkedHashMap<>();
        members.put("frame_number", NpyArray.ofLongs(frameNumbers));
        members.put("frame_time", NpyArray.ofDoubles(frameTimes));
        storeMetadata.forEach((k, v) -> {
            if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
                members.put(k, NpyArray.scalarLong(n.longValue()));
            } else if (v instanceof String s) {
                members.put(k, NpyArray.scalarString(s));
            } else if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof Number)) {
                members.put(k, NpyArray.ofLongs(l.stream().mapToLong(x -> ((Number) x).longValue()).toArray()));
            }
        });
        Npz.write(StoreLayout.withSuffix(pathWithoutExtension, StoreLayout.NPZ_SUFFIX), members);
    }
}
