package io.imgstore.format;

import io.imgstore.format.internal.Confinement;
import io.imgstore.format.internal.MetadataYaml;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A store's {@code metadata.yaml}: the {@code __store} block, with typed access to imgstore's keys,
 * and the user metadata beside it. The one place that reads and writes those keys.
 *
 * <p>Accessors are lenient: a missing or mistyped key gives null (the values are as found in the
 * file, which may be hostile); {@link ImgStore#open} is where a store is validated. Keys this
 * library does not know are kept ({@link #unknown()}) and written back unchanged.
 *
 * @param store the {@code __store} block as read (unmodifiable, file order)
 * @param user  every other top-level key of the file (unmodifiable, file order)
 */
public record StoreMetadata(Map<String, Object> store, Map<String, Object> user) {

    public static final String CLASS = "class";
    public static final String FORMAT = "format";
    public static final String EXTENSION = "extension";
    public static final String IMGSHAPE = "imgshape";
    public static final String IMGDTYPE = "imgdtype";
    public static final String CHUNKSIZE = "chunksize";
    public static final String UUID_KEY = "uuid";
    public static final String CREATED_UTC = "created_utc";
    public static final String TIMEZONE_LOCAL = "timezone_local";
    public static final String ENCODING = "encoding";
    public static final String VERSION = "version";
    /** The keys of the {@code __store} block this library knows. */
    public static final Set<String> KNOWN_KEYS = Set.of(CLASS, FORMAT, EXTENSION, IMGSHAPE, IMGDTYPE, CHUNKSIZE,
            UUID_KEY, CREATED_UTC, TIMEZONE_LOCAL, ENCODING, VERSION);

    public StoreMetadata {
        store = Collections.unmodifiableMap(new LinkedHashMap<>(store == null ? Map.of() : store));
        user = Collections.unmodifiableMap(new LinkedHashMap<>(user == null ? Map.of() : user));
    }

    /**
     * Reads {@code metadata.yaml} of the store in {@code dir} (bounded, safe YAML loading).
     *
     * @throws StoreNotFoundException when there is none
     * @throws CorruptStoreException  when it cannot be parsed or has no {@code __store} block
     */
    public static StoreMetadata read(Path dir) {
        return ofDocument(MetadataYaml.read(dir));
    }

    /**
     * As {@link #read(Path)}, refusing a {@code metadata.yaml} that resolves (after links) outside
     * {@code root}.
     *
     * @param root the confinement root, or null for none
     * @throws FileOutsideRootException when it does
     */
    public static StoreMetadata read(Path dir, Path root) {
        return ofDocument(MetadataYaml.read(dir, Confinement.of(root)));
    }

    static StoreMetadata read(Path dir, Confinement confinement) {
        return ofDocument(MetadataYaml.read(dir, confinement));
    }

    /**
     * As {@link #read(Path, Path)}, read through {@code files} (the storage seam).
     *
     * @param root confinement root, or null for none
     */
    public static StoreMetadata read(io.imgstore.format.storage.StoreFiles files, Path dir, Path root) {
        return read(files, dir, Confinement.of(files, root));
    }

    static StoreMetadata read(io.imgstore.format.storage.StoreFiles files, Path dir, Confinement confinement) {
        return ofDocument(MetadataYaml.read(files, dir, confinement));
    }

    /** Splits a whole {@code metadata.yaml} document into the {@code __store} block and the user metadata. */
    @SuppressWarnings("unchecked")
    public static StoreMetadata ofDocument(Map<String, Object> document) {
        Map<String, Object> user = new LinkedHashMap<>(document);
        Object block = user.remove(StoreLayout.STORE_KEY);
        if (!(block instanceof Map<?, ?>)) {
            throw new CorruptStoreException(StoreLayout.METADATA_FILE + " has no '" + StoreLayout.STORE_KEY + "' block");
        }
        return new StoreMetadata((Map<String, Object>) block, user);
    }

    /** Metadata with only a {@code __store} block (as a catalog caches it). */
    public static StoreMetadata ofStoreBlock(Map<String, Object> store) {
        return new StoreMetadata(store, Map.of());
    }

    /** The {@code __store} block a writer records for a new store of {@code spec}, created now. */
    public static StoreMetadata forNewStore(StoreSpec spec) {
        Map<String, Object> smd = new LinkedHashMap<>();
        smd.put(CHUNKSIZE, spec.chunksize());
        smd.put(CLASS, spec.format().storeClass());
        smd.put(CREATED_UTC, isoformat(LocalDateTime.now(ZoneOffset.UTC)));
        smd.put(ENCODING, spec.encoding());
        if (spec.format().video()) {
            smd.put(EXTENSION, spec.format().extension());
        }
        smd.put(FORMAT, spec.format().name());
        smd.put(IMGDTYPE, spec.pixelType().dtype());
        List<Integer> shape = new ArrayList<>();
        for (int v : spec.writtenShape()) {
            shape.add(v);
        }
        smd.put(IMGSHAPE, shape);
        smd.put(TIMEZONE_LOCAL, ZoneId.systemDefault().getId());
        smd.put(UUID_KEY, UUID.randomUUID().toString().replace("-", ""));
        smd.put(VERSION, 2);
        return new StoreMetadata(smd, spec.userMetadata());
    }

    /** Python's {@code datetime.isoformat()} of a naive datetime: microseconds only when non-zero. */
    static String isoformat(LocalDateTime t) {
        LocalDateTime micros = t.truncatedTo(ChronoUnit.MICROS);
        String pattern = micros.getNano() == 0 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss.SSSSSS";
        return micros.format(DateTimeFormatter.ofPattern(pattern));
    }

    /** The whole document: user metadata and the {@code __store} block. */
    public Map<String, Object> toDocument() {
        Map<String, Object> doc = new LinkedHashMap<>(user);
        doc.put(StoreLayout.STORE_KEY, new LinkedHashMap<>(store));
        return doc;
    }

    /** Writes {@code metadata.yaml} to {@code dir} atomically, in PyYAML {@code safe_dump} style. */
    public void write(Path dir) {
        MetadataYaml.write(dir, toDocument());
    }

    /** The same metadata with other user metadata. */
    public StoreMetadata withUser(Map<String, Object> newUser) {
        return new StoreMetadata(store, newUser);
    }

    /** The same metadata without keys whose value is null (YAML {@code ~}). */
    public StoreMetadata withoutNullValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        store.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return new StoreMetadata(out, user);
    }

    /** Keys of the {@code __store} block this library does not interpret (kept as they are). */
    public Map<String, Object> unknown() {
        Map<String, Object> out = new LinkedHashMap<>(store);
        out.keySet().removeAll(KNOWN_KEYS);
        return Collections.unmodifiableMap(out);
    }

    /** A key's value as text, null when absent. */
    private String string(String key) {
        Object o = store.get(key);
        return o == null ? null : String.valueOf(o);
    }

    /** {@code class}: {@code VideoImgStore}, {@code DirectoryImgStore}, ... or null. */
    public String storeClass() {
        return string(CLASS);
    }

    /** {@code format} as written ({@code png}, {@code avc1/mp4}, Motif's {@code libx264}, ...) or null. */
    public String format() {
        return string(FORMAT);
    }

    /** {@code extension} of video chunk files (with the dot) or null. */
    public String extension() {
        return string(EXTENSION);
    }

    /** {@code imgdtype} or null. */
    public String imgdtype() {
        return string(IMGDTYPE);
    }

    /** {@code imgshape} as a list of ints, or null when absent or not a non-empty list of numbers. */
    public int[] imgshape() {
        if (!(store.get(IMGSHAPE) instanceof List<?> l) || l.isEmpty()) {
            return null;
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                return null;
            }
            out[i] = n.intValue();
        }
        return out;
    }

    /** {@code imgshape} as found (any list), or null when it is not a list. */
    public List<?> imgshapeValues() {
        return store.get(IMGSHAPE) instanceof List<?> l ? l : null;
    }

    /** {@code chunksize}, or null when absent or not a number. */
    public Integer chunksize() {
        return store.get(CHUNKSIZE) instanceof Number n ? n.intValue() : null;
    }

    /** {@code uuid} or null. */
    public String uuid() {
        return string(UUID_KEY);
    }

    /** {@code created_utc} as written (naive ISO time in UTC) or null (old stores). */
    public String createdUtc() {
        return string(CREATED_UTC);
    }

    /** {@code timezone_local} or null. */
    public String timezoneLocal() {
        return string(TIMEZONE_LOCAL);
    }

    /** {@code encoding} as written (may be null, blank or {@code None}). */
    public String encoding() {
        return string(ENCODING);
    }

    /** {@code encoding}, null when absent, blank or {@code None}. */
    public String encodingOrNull() {
        String enc = encoding();
        return enc == null || enc.isBlank() || enc.equals("None") ? null : enc;
    }

    /** {@code version} as found (imgstore writes 2). */
    public Object version() {
        return store.get(VERSION);
    }
}
