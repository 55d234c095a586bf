package io.imgstore.service.ingest;

import io.imgstore.format.StoreExistsException;
import io.imgstore.service.web.ProblemProperties;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /stores} for a path that already holds a store (409 {@code conflict}): the problem
 * names the store ({@code id}, {@code path}) and whether it is open for writing ({@code writing}),
 * so that a client can go on with it or pick another path.
 */
public class ExistingStoreException extends StoreExistsException implements ProblemProperties {

    private final String id;
    private final String path;
    private final boolean writing;

    public ExistingStoreException(String id, String path, boolean writing, String message) {
        super(message);
        this.id = id;
        this.path = path;
        this.writing = writing;
    }

    @Override
    public Map<String, Object> problemProperties() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("path", path);
        m.put("writing", writing);
        return m;
    }
}
