package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.storage.StoreFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Extra data recorded beside frames: imgstore's per-chunk {@code .extra.json} (a JSON array of
 * records) or, where present, Motif's root-level {@code NNNNNN.extra_data.json} /
 * {@code NNNNNN.extra_data.h5}, which then take precedence (rows with frame_number &lt; 0 dropped).
 */
public final class ExtraDataFiles {

    public static final String EXTRA_JSON = StoreLayout.EXTRA_JSON_SUFFIX;
    /** Largest extra-data JSON file read (the service writes at most 64 MiB per chunk by default). */
    public static final long MAX_EXTRA_JSON_BYTES = 256L * 1024 * 1024;
    private static final Pattern MOTIF = StoreLayout.MOTIF_EXTRA_DATA;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ExtraDataFiles() {
    }

    /** Motif's root-level extra data files, by chunk order. */
    public static List<Path> motifFiles(Path baseDir) {
        return motifFiles(StoreFiles.LOCAL, baseDir);
    }

    /** As {@link #motifFiles(Path)}, listed through {@code files}. */
    public static List<Path> motifFiles(StoreFiles files, Path baseDir) {
        TreeMap<String, Path> found = new TreeMap<>();
        try {
            for (Path p : files.list(baseDir)) {
                String n = p.getFileName().toString();
                if (MOTIF.matcher(n).matches()) {
                    found.put(n, p);
                }
            }
        } catch (IOException e) {
            throw new CorruptStoreException("cannot list " + baseDir.getFileName() + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(found.values());
    }

    /** True when any extra data file exists. */
    public static boolean any(StoreFiles files, Path baseDir, List<Path> chunkExtraJsonFiles) {
        return !motifFiles(files, baseDir).isEmpty() || chunkExtraJsonFiles.stream().anyMatch(files::isFile);
    }

    /**
     * All records: Motif files if any, else the chunks' {@code .extra.json} in chunk order.
     * A file still being written (no closing bracket yet) is read up to its last complete record.
     */
    public static List<Map<String, Object>> read(StoreFiles files, Path baseDir, List<Path> chunkExtraJsonFiles) {
        List<Path> motif = motifFiles(files, baseDir);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!motif.isEmpty()) {
            for (Path p : motif) {
                List<Map<String, Object>> part = p.toString().endsWith(".h5") ? MotifH5.read(files, p) : readJson(files, p);
                for (Map<String, Object> r : part) {
                    Object fn = r.get("frame_number");
                    if (!(fn instanceof Number n) || n.doubleValue() >= 0) {
                        rows.add(r);
                    }
                }
            }
            return rows;
        }
        for (Path p : chunkExtraJsonFiles) {
            if (files.isFile(p)) {
                rows.addAll(readJson(files, p));
            }
        }
        return rows;
    }

    /** Reads one JSON array of records, tolerating a missing closing bracket (file still open). */
    public static List<Map<String, Object>> readJson(Path file) {
        return readJson(StoreFiles.LOCAL, file);
    }

    /** As {@link #readJson(Path)}, read through {@code files}. */
    public static List<Map<String, Object>> readJson(StoreFiles files, Path file) {
        String text;
        try {
            long size = files.size(file);
            if (size > MAX_EXTRA_JSON_BYTES) {
                throw new CorruptStoreException("extra data " + file.getFileName() + " has " + size
                        + " bytes, more than the " + MAX_EXTRA_JSON_BYTES + " read per file");
            }
            text = files.readString(file).strip();
        } catch (IOException e) {
            throw new CorruptStoreException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
        if (text.isEmpty()) {
            return List.of();
        }
        if (!text.endsWith("]")) {
            int lastClose = text.lastIndexOf('}');
            text = (lastClose < 0 ? "[" : text.substring(0, lastClose + 1)) + "]";
        }
        try {
            List<?> list = JSON.readValue(text, List.class);
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    m.forEach((k, v) -> row.put(String.valueOf(k), v));
                    out.add(row);
                }
            }
            return out;
        } catch (JacksonException e) {
            // Jackson's messages quote the offending token: only where and what kind of error
            var loc = e instanceof tools.jackson.core.exc.StreamReadException r ? r.getLocation() : null;
            String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
            throw new CorruptStoreException("corrupt extra data " + file.getFileName() + ": " + where
                    + "invalid JSON (" + e.getClass().getSimpleName() + ")", null);
        }
    }
}
