package io.imgstore.service.read;

import io.imgstore.format.FrameMetadata;
import io.imgstore.service.catalog.StoreRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/** Per-frame tables of a store: frame metadata (index, number, time) and extra data records. */
@Service
class FrameData {

    static final List<String> KEY_COLUMNS = List.of("frame_index", "frame_number", "frame_time");

    private final StoreRegistry registry;

    FrameData(StoreRegistry registry) {
        this.registry = registry;
    }

    /** Frame indexes, numbers and times, in index order, restricted to the window. */
    record Table(long[] index, long[] number, double[] time) {

        int size() {
            return index.length;
        }
    }

    Table frameMetadata(String id, Window window) {
        FrameMetadata md;
        try (var lease = registry.lease(id)) {
            md = lease.store().frameMetadata();
        }
        long[] numbers = md.frameNumbers();
        double[] times = md.frameTimes();
        int n = 0;
        for (int i = 0; i < numbers.length; i++) {
            if (window.contains(numbers[i], times[i])) {
                n++;
            }
        }
        long[] idx = new long[n];
        long[] num = new long[n];
        double[] tim = new double[n];
        int j = 0;
        for (int i = 0; i < numbers.length; i++) {
            if (window.contains(numbers[i], times[i])) {
                idx[j] = i;
                num[j] = numbers[i];
                tim[j] = times[i];
                j++;
            }
        }
        return new Table(idx, num, tim);
    }

    /**
     * Extra data records in recording order, each with {@code frame_number}, {@code frame_time},
     * {@code frame_index} (where recorded) and the recorded keys; restricted to the window (a
     * record without the bounded field is dropped when that bound is set).
     */
    List<Map<String, Object>> extraData(String id, Window window) {
        List<Map<String, Object>> rows;
        try (var lease = registry.lease(id)) {
            rows = lease.store().extraData();
        }
        if (window.open()) {
            return rows;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (window.hasNumberBounds()
                    && !(r.get("frame_number") instanceof Number n && window.containsNumber(n.longValue()))) {
                continue;
            }
            if (window.hasTimeBounds()
                    && !(r.get("frame_time") instanceof Number t && window.containsTime(t.doubleValue()))) {
                continue;
            }
            out.add(r);
        }
        return out;
    }

    /**
     * The union of the records' keys: frame_index, frame_number, frame_time first, then first-seen
     * order (just those three for no records, so that an empty table still has a header).
     */
    static List<String> columns(List<Map<String, Object>> rows) {
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, Object> r : rows) {
            seen.addAll(r.keySet());
        }
        List<String> cols = new ArrayList<>();
        for (String k : KEY_COLUMNS) {
            if (seen.remove(k) || rows.isEmpty()) {
                cols.add(k);
            }
        }
        cols.addAll(seen);
        return cols;
    }

    static Map<String, Object> ordered(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : KEY_COLUMNS) {
            if (row.containsKey(k)) {
                out.put(k, row.get(k));
            }
        }
        row.forEach(out::putIfAbsent);
        return out;
    }
}
