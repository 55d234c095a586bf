package io.imgstore.service.read;

import io.imgstore.format.FrameInfo;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.StoreLayout;
import io.imgstore.service.catalog.StoreEntry;
import io.imgstore.service.catalog.StoreRegistry;
import org.springframework.stereotype.Service;

/**
 * Serves one frame through the pipeline: lookup (request thread, index only) then, on a bounded
 * worker, decode, convert, encode. A client whose {@code If-None-Match} names the frame's ETag
 * gets {@code 304} without any decoding.
 *
 * <p>ETag: {@code "<uuid>-<store>-<frame index>-<representation>-<fingerprint>-v3"} (e.g.
 * {@code "c274...-1a2b3c4d-17-png-w320-00ff...-v3"}), strong because a closed store's frame always
 * encodes to the same bytes with this build while its files are unchanged (see {@link #etag}). Stores
 * being written ({@code .lock} present) get no ETag and are not cached by clients.
 */
@Service
class FrameService {

    /** Bumped whenever an encoder change would change the bytes of a representation. */
    private static final String ETAG_VERSION = "3";

    private final StoreRegistry registry;
    private final FrameLookup lookup;
    private final FrameConverter converter;
    private final FrameEncoder encoder;
    private final FrameWorkers workers;

    FrameService(StoreRegistry registry, FrameLookup lookup, FrameConverter converter, FrameEncoder encoder,
                 FrameWorkers workers) {
        this.registry = registry;
        this.lookup = lookup;
        this.converter = converter;
        this.encoder = encoder;
        this.workers = workers;
    }

    ServedFrame serve(String storeId, FrameSelector selector, Representation representation, String ifNoneMatch) {
        StoreRegistry.Lease lease = registry.lease(storeId);
        boolean handedOver = false;
        try {
            ImgStore store = lease.store();
            FrameInfo info = lookup.locate(store, selector);
            boolean immutable = !beingWritten(lease.entry());
            if (immutable && store.filesChangedSinceOpen(info.frameIndex())) {
                // a file of this frame changed since the reader was opened (a chunk rewritten in
                // place): reopen, so the body served matches the ETag made from the files now
                lease.close();
                registry.invalidate(storeId);
                lease = registry.lease(storeId);
                store = lease.store();
                info = lookup.locate(store, selector);
            }
            String etag = immutable ? etag(store, lease.entry(), info, representation) : null;
            if (etag != null && ETags.matches(ifNoneMatch, etag)) {
                return new ServedFrame(info, etag, true, representation.mediaType(), null);
            }
            handedOver = true;
            ImgStore reader = store;
            long frameIndex = info.frameIndex();
            byte[] body = workers.call(() -> {
                Image decoded = reader.getFrameByIndex(frameIndex).image();
                return encoder.encode(converter.convert(decoded, representation), representation);
            }, lease::close);
            return new ServedFrame(info, etag, immutable, representation.mediaType(), body);
        } finally {
            if (!handedOver) {
                lease.close();
            }
        }
    }

    static boolean beingWritten(StoreEntry entry) {
        return StoreLayout.isBeingWritten(entry.dir());
    }

    /**
     * {@code "<uuid>-<store>-<index>-<representation>-<fingerprint>-v<n>"}: the store's id (hashed) sets
     * copies with the same uuid apart, the fingerprint (size and mtime of metadata.yaml, the frame's
     * chunk or frame file and its index, {@link ImgStore#fingerprint}) changes when any of them is
     * rewritten. Only file attributes are read: a 304 still decodes nothing.
     */
    static String etag(ImgStore store, StoreEntry entry, FrameInfo info, Representation representation) {
        String identity = store.uuid();
        if (identity == null || identity.isBlank()) {
            identity = "p";
        }
        String where = String.format("%08x", entry.path().hashCode() * 31 + entry.id().hashCode());
        return "\"" + identity.replaceAll("[^A-Za-z0-9._-]", "") + "-" + where + "-" + info.frameIndex() + "-"
                + representation.token() + "-" + store.fingerprint(info.frameIndex()) + "-v" + ETAG_VERSION + "\"";
    }
}
