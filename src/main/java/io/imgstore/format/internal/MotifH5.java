package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.storage.StoreFiles;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Motif's {@code NNNNNN.extra_data.h5}, read with jhdf: root datasets of equal length N become the
 * columns of N rows. A 2-D dataset with a {@code column_names} attribute (Motif's {@code /daq},
 * shape {@code [columns, N]}) gives one column per name; a compound dataset ({@code /camera}) one
 * column per member; any other 1-D dataset a column named after it.
 */
final class MotifH5 {

    private MotifH5() {
    }

    /** Largest HDF5 file read when it is not a local file (jhdf then reads it through a channel). */
    static final long MAX_H5_BYTES = 256L * 1024 * 1024;

    static List<Map<String, Object>> read(Path file) {
        return read(StoreFiles.LOCAL, file);
    }

    /**
     * A local file is opened by path (jhdf maps it); any other through {@link StoreFiles#newChannel}
     * (jhdf's {@code HdfFile(SeekableByteChannel, URI)}: it reads only the parts it needs).
     */
    static List<Map<String, Object>> read(StoreFiles files, Path file) {
        Map<String, Object> columns = new LinkedHashMap<>();
        try (HdfFile h5 = open(files, file)) {
            List<Dataset> named = new ArrayList<>();
            List<Dataset> compound = new ArrayList<>();
            List<Dataset> plain = new ArrayList<>();
            for (Node n : h5.getChildren().values()) {
                if (n instanceof Dataset d) {
                    if (d.getDimensions().length == 2 && d.getAttribute("column_names") != null) {
                        named.add(d);
                    } else if (d.isCompound()) {
                        compound.add(d);
                    } else if (d.getDimensions().length == 1) {
                        plain.add(d);
                    }
                }
            }
            for (Dataset d : named) {
                String[] names = strings(d.getAttribute("column_names"));
                Object rows = d.getData();
                for (int i = 0; i < names.length && i < Array.getLength(rows); i++) {
                    columns.put(names[i], Array.get(rows, i));
                }
            }
            for (Dataset d : compound) {
                Object data = d.getData();
                if (data instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> columns.put(String.valueOf(k), v));
                }
            }
            for (Dataset d : plain) {
                columns.put(d.getName(), d.getData());
            }
        } catch (IOException e) {
            throw new CorruptStoreException("cannot read Motif extra data " + file.getFileName() + ": " + e.getMessage(), e);
        } catch (HdfException | ClassCastException e) {
            throw new CorruptStoreException("cannot read Motif extra data " + file.getFileName() + ": " + e.getMessage(), e);
        }
        int n = -1;
        for (Map.Entry<String, Object> c : columns.entrySet()) {
            if (!c.getValue().getClass().isArray()) {
                throw new CorruptStoreException(file.getFileName() + ": column " + c.getKey() + " is not an array");
            }
            int len = Array.getLength(c.getValue());
            if (n >= 0 && len != n) {
                throw new CorruptStoreException(file.getFileName() + ": columns differ in length (" + c.getKey() + ")");
            }
            n = len;
        }
        List<Map<String, Object>> rows = new ArrayList<>(Math.max(n, 0));
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Map.Entry<String, Object> c : columns.entrySet()) {
                row.put(c.getKey(), Array.get(c.getValue(), i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static HdfFile open(StoreFiles files, Path file) throws IOException {
        var local = files.localFile(file);
        if (local.isPresent()) {
            return new HdfFile(local.get());
        }
        long size = files.size(file);
        if (size > MAX_H5_BYTES) {
            throw new CorruptStoreException("Motif extra data " + file.getFileName() + " has " + size
                    + " bytes, more than the " + MAX_H5_BYTES + " read");
        }
        var channel = files.newChannel(file);
        try {
            return new HdfFile(channel, file.toUri());
        } catch (RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    private static String[] strings(Attribute a) {
        Object v = a.getData();
        if (v instanceof String s) {
            // Motif writes the names as one comma-separated string
            return java.util.Arrays.stream(s.split(",")).map(String::trim).toArray(String[]::new);
        }
        int len = Array.getLength(v);
        String[] out = new String[len];
        for (int i = 0; i < len; i++) {
            out[i] = String.valueOf(Array.get(v, i)).trim();
        }
        return out;
    }
}
