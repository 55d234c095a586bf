package io.imgstore.service.read;

import io.imgstore.format.ImgStore;
import io.imgstore.format.StoreIndexSummary;
import io.imgstore.format.StoreMetadata;
import io.imgstore.service.catalog.IndexSummaries;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreEntry;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.service.viewer.ViewerProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The store listing (from the catalog's cached metadata: cheap for thousands of stores) and the
 * per-store summary and metadata (from the registry's open reader).
 */
@Service
class StoreQueries {

    private final StoreCatalog catalog;
    private final StoreRegistry registry;
    private final IndexSummaries summaries;

    /** The one store of {@code imgstore view STORE} (the listing shows it alone), or null. */
    private final String singleStore;

    StoreQueries(StoreCatalog catalog, StoreRegistry registry, IndexSummaries summaries,
            ObjectProvider<ViewerProperties> viewer) {
        this.catalog = catalog;
        this.summaries = summaries;
        this.registry = registry;
        ViewerProperties v = viewer.getIfAvailable();
        this.singleStore = v == null ? null : v.singleStore();
    }

    /**
     * Stores under the root, sorted by path, filtered and paged.
     *
     * @param q      case-insensitive substring of the path, or null
     * @param cls    store class (case-insensitive), or null
     * @param format store format (case-insensitive), or null
     * @param limit  most items returned, or null for all
     */
    StorePage list(String q, String cls, String format, int offset, Integer limit) {
        Paging.check(offset, limit, 0);
        String needle = q == null || q.isEmpty() ? null : q.toLowerCase(Locale.ROOT);
        List<StoreEntry> matched = new ArrayList<>();
        for (StoreEntry e : catalog.list()) {
            if (singleStore != null && !singleStore.equals(e.id())) {
                continue;
            }
            if (needle != null && !e.path().toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            if (cls != null && !cls.equalsIgnoreCase(String.valueOf(e.storeClass()))) {
                continue;
            }
            if (format != null && !format.equalsIgnoreCase(String.valueOf(e.format()))) {
                continue;
            }
            matched.add(e);
        }
        Paging paging = new Paging(offset, limit, matched.size());
        // frame counts and times only for the page (index files read, then cached: IndexSummaries)
        List<StoreListItem> items = new ArrayList<>(paging.to() - paging.from());
        for (StoreEntry e : matched.subList(paging.from(), paging.to())) {
            items.add(item(e, summaries.of(e)));
        }
        return new StorePage(List.copyOf(items), matched.size(), offset,
                limit == null ? matched.size() : limit);
    }

    private static StoreListItem item(StoreEntry e, StoreIndexSummary index) {
        StoreMetadata md = e.metadata();
        return new StoreListItem(e.id(), e.path(), e.storeClass(), e.format(),
                md.imgshapeValues(),
                md.imgdtype(),
                md.chunksize(),
                md.uuid(),
                utc(md.createdUtc()),
                index == null ? null : index.frameCount(),
                index == null ? null : index.frameTimeMin(),
                index == null ? null : index.frameTimeMax(),
                e.live(),
                e.error());
    }

    /** imgstore writes created_utc without an offset (it is UTC): mark it as such, as the summary does. */
    private static String utc(Object o) {
        String s = string(o);
        if (s == null) {
            return null;
        }
        try {
            return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return s;
        }
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }

    StoreSummary summary(String id) {
        try (var lease = registry.lease(id)) {
            ImgStore s = lease.store();
            StoreEntry e = lease.entry();
            boolean empty = s.frameCount() == 0;
            return new StoreSummary(e.id(), e.path(), s.storeClass(), s.format().name(),
                    s.encoding(), s.pixelType().dtype(), s.imageShape(), s.imgshape(), s.chunksize(),
                    s.frameCount(),
                    empty ? null : s.frameMin().getAsLong(),
                    empty ? null : s.frameMax().getAsLong(),
                    empty ? null : s.frameTimeMin(),
                    empty ? null : s.frameTimeMax(),
                    s.chunks(), s.uuid(), s.createdUtc().toString(), s.timezoneLocal().getId(),
                    s.userMetadata(), s.hasExtraData(), s.lossless(), FrameService.beingWritten(e));
        }
    }

    /** {@code {"store": {...__store...}, "user": {...}}}. */
    Map<String, Object> metadata(String id) {
        try (var lease = registry.lease(id)) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("store", lease.store().storeMetadata());
            out.put("user", lease.store().userMetadata());
            return out;
        }
    }
}
