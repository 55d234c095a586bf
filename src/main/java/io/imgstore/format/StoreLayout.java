package io.imgstore.format;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The names of a store's files, in one place, as Python imgstore spells them:
 * <pre>
 * metadata.yaml                       the store's metadata ({@link StoreMetadata})
 * .lock                               present while a writer has the store open
 * 000000.mp4 (.avi, .mkv, ...)        video chunk files (VideoImgStore)
 * 000000.npz / .yaml / .journal       a video chunk's index, legacy yaml index, writer's journal
 * 000000.extra.json                   a video chunk's extra data
 * 000000/000000.png (.npy, ...)       frame files of a DirectoryImgStore chunk folder
 * 000000/index.npz / .yaml / .journal a directory chunk's index, legacy yaml index, journal
 * 000000/index.extra.json             a directory chunk's extra data
 * 000000.extra_data.json / .h5        Motif's root-level extra data
 * </pre>
 * Chunk and frame numbers are six digits ({@code %06d}). An index "base" is the path of a
 * chunk's index without a suffix ({@code 000000} or {@code 000000/index}); the index, journal and
 * extra-data files are that base plus a suffix.
 */
public final class StoreLayout {

    /** The store's metadata file. */
    public static final String METADATA_FILE = "metadata.yaml";
    /** The key of the store block in {@link #METADATA_FILE}. */
    public static final String STORE_KEY = "__store";
    /** Held by a writer while the store is open. */
    public static final String LOCK_FILE = ".lock";
    /** Prefix of a writer's lease generations ({@code .lease.<n>}) in the store folder. */
    public static final String LEASE_PREFIX = ".lease.";
    /** Prefix of a lease generation being written (moved into place atomically). */
    public static final String LEASE_TEMP_PREFIX = ".lease-tmp-";
    /** Suffix of a chunk's numpy index. */
    public static final String NPZ_SUFFIX = ".npz";
    /** Suffix of a chunk's legacy yaml index. */
    public static final String YAML_SUFFIX = ".yaml";
    /** Suffix of an open chunk's journal (this library's crash-safe index). */
    public static final String JOURNAL_SUFFIX = ".journal";
    /** Suffix of a chunk's extra-data file. */
    public static final String EXTRA_JSON_SUFFIX = ".extra.json";
    /** Name of the index base inside a directory chunk's folder. */
    public static final String DIRECTORY_INDEX_NAME = "index";
    /** A chunk (or frame) name: six digits. */
    public static final Pattern CHUNK_NAME = Pattern.compile("(\\d{6})");
    /** Motif's root-level extra data files. */
    public static final Pattern MOTIF_EXTRA_DATA = Pattern.compile("\\d{6}\\.extra_data\\.(json|h5)");

    private final Path dir;
    private final boolean video;
    private final String extension;

    private StoreLayout(Path dir, boolean video, String extension) {
        this.dir = dir;
        this.video = video;
        this.extension = extension;
    }

    /** The layout of a store of {@code format} in {@code dir}. */
    public static StoreLayout of(Path dir, StoreFormat format) {
        return new StoreLayout(dir, format.video(), format.extension());
    }

    /** The layout of a video store whose chunk files end with {@code extension} (with the dot). */
    public static StoreLayout video(Path dir, String extension) {
        return new StoreLayout(dir, true, extension);
    }

    /** A chunk's (or a frame's) six-digit name. */
    public static String chunkName(int n) {
        return String.format("%06d", n);
    }

    /** {@code base} with a suffix appended to its file name ({@code 000000} + {@code .npz}). */
    public static Path withSuffix(Path base, String suffix) {
        return base.resolveSibling(base.getFileName() + suffix);
    }

    /** {@code metadata.yaml} of the store in {@code dir}. */
    public static Path metadataFile(Path dir) {
        return dir.resolve(METADATA_FILE);
    }

    /**
     * True for the files a writer keeps about itself, not about the recording ({@code .lock}, lease
     * generations): they belong to one process on one machine and are never copied with the store.
     *
     * @param relative a file's '/'-separated path relative to the store folder
     */
    public static boolean isWriterState(String relative) {
        return relative.equals(LOCK_FILE) || relative.startsWith(LEASE_PREFIX) || relative.startsWith(LEASE_TEMP_PREFIX);
    }

    /** {@code .lock} of the store in {@code dir}. */
    public static Path lockFile(Path dir) {
        return dir.resolve(LOCK_FILE);
    }

    /** True while a writer has the store in {@code dir} open (or died holding it: see recovery). */
    public static boolean isBeingWritten(Path dir) {
        return Files.exists(lockFile(dir));
    }

    public Path dir() {
        return dir;
    }

    public boolean isVideo() {
        return video;
    }

    /** Chunk file extension (video) or frame file extension (directory), with the dot. */
    public String extension() {
        return extension;
    }

    public Path metadataFile() {
        return metadataFile(dir);
    }

    public Path lockFile() {
        return lockFile(dir);
    }

    /** True while a writer has this store open. */
    public boolean isBeingWritten() {
        return isBeingWritten(dir);
    }

    /** A video store's chunk file ({@code 000000.mp4}). */
    public Path videoChunkFile(int chunk) {
        return dir.resolve(chunkName(chunk) + extension);
    }

    /** A directory store's chunk folder ({@code 000000}). */
    public Path chunkFolder(int chunk) {
        return dir.resolve(chunkName(chunk));
    }

    /** A directory store's frame file ({@code 000000/000000.png}). */
    public Path frameFile(int chunk, int position) {
        return chunkFolder(chunk).resolve(chunkName(position) + extension);
    }

    /** A chunk's index base: {@code 000000} for video, {@code 000000/index} for directory stores. */
    public Path indexBase(int chunk) {
        return video ? dir.resolve(chunkName(chunk)) : chunkFolder(chunk).resolve(DIRECTORY_INDEX_NAME);
    }

    public Path npzIndex(int chunk) {
        return withSuffix(indexBase(chunk), NPZ_SUFFIX);
    }

    public Path yamlIndex(int chunk) {
        return withSuffix(indexBase(chunk), YAML_SUFFIX);
    }

    public Path journal(int chunk) {
        return withSuffix(indexBase(chunk), JOURNAL_SUFFIX);
    }

    public Path extraJson(int chunk) {
        return withSuffix(indexBase(chunk), EXTRA_JSON_SUFFIX);
    }

    /** True when a chunk's index was written ({@code .npz} or legacy {@code .yaml}): the chunk is complete. */
    public static boolean hasWrittenIndex(Path indexBase) {
        return Files.exists(withSuffix(indexBase, NPZ_SUFFIX)) || Files.exists(withSuffix(indexBase, YAML_SUFFIX));
    }

    /** The index files a reader may open for a chunk (index, legacy index, journal). */
    public static Path[] indexFiles(Path indexBase) {
        return new Path[] {withSuffix(indexBase, NPZ_SUFFIX), withSuffix(indexBase, YAML_SUFFIX),
                withSuffix(indexBase, JOURNAL_SUFFIX)};
    }
}
