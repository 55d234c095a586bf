package io.imgstore.service.align;

import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.PixelType;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.npy.Npy;
import io.imgstore.service.bulk.BulkProperties;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.service.read.FrameWorkers;
import io.imgstore.service.web.BadRequestException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/** Aligns stores by frame number ({@link Alignment}) and renders an aligned row of frames. */
@Service
class AlignService {

    static final int MAX_STORES = 16;

    /** How an aligned row is answered. */
    enum Kind { PNG, JPEG, NPY }

    /** An encoded aligned row. */
    record Rendered(byte[] body, Kind kind) {
    }

    private final StoreRegistry registry;
    private final FrameWorkers workers;
    private final BulkProperties properties;

    AlignService(StoreRegistry registry, FrameWorkers workers, BulkProperties properties) {
        this.registry = registry;
        this.workers = workers;
        this.properties = properties;
    }

    /** {@code GET /align}: columns per store, rows per aligned frame number. */
    Map<String, Object> align(List<String> ids, AlignPolicy policy, Long from, Long to) {
        Leases leases = lease(ids);
        try {
            Alignment a = Alignment.of(leases.stores(), policy, from, to, properties.maxAlignFrames());
            List<List<Long>> index = new ArrayList<>();
            List<List<Double>> time = new ArrayList<>();
            for (int s = 0; s < ids.size(); s++) {
                ImgStore store = leases.stores().get(s);
                List<Long> idx = new ArrayList<>(a.numbers().length);
                List<Double> t = new ArrayList<>(a.numbers().length);
                for (int r = 0; r < a.numbers().length; r++) {
                    int shown = a.shown()[s][r];
                    idx.add(shown < 0 ? null : (long) shown);
                    t.add(a.present()[s][r] ? store.frameInfo(shown).frameTime() : null);
                }
                index.add(idx);
                time.add(t);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("policy", policy.token());
            out.put("stores", ids);
            out.put("count", a.numbers().length);
            out.put("frame_number", a.numbers());
            out.put("frame_index", index);
            out.put("frame_time", time);
            return out;
        } finally {
            leases.close();
        }
    }

    /**
     * {@code GET /align/frames/{number}}: the stores' frames for one aligned number; with
     * {@code head} (a HEAD request) the same checks from the indexes, nothing decoded (body null).
     */
    Rendered frames(List<String> ids, AlignPolicy policy, long number, Kind kind, int jpegQuality, boolean head) {
        Leases leases = lease(ids);
        boolean handedOver = false;
        try {
            List<ImgStore> stores = leases.stores();
            Alignment a = Alignment.of(stores, policy, number, number, 1);
            if (a.row(number) < 0) {
                throw new FrameNotFoundException("frame number " + number + (policy == AlignPolicy.DROP
                        ? " is not in every store" : " is in none of the stores"));
            }
            if (kind == Kind.NPY) {
                checkSameShape(stores);
            }
            if (head) {
                return new Rendered(null, kind);
            }
            int[] shown = new int[stores.size()];
            for (int s = 0; s < shown.length; s++) {
                shown[s] = a.shown()[s][0];
            }
            handedOver = true;
            byte[] body = workers.call(() -> render(stores, shown, kind, jpegQuality), leases::close);
            return new Rendered(body, kind);
        } finally {
            if (!handedOver) {
                leases.close();
            }
        }
    }

    private static byte[] render(List<ImgStore> stores, int[] shown, Kind kind, int jpegQuality) {
        List<Image> images = new ArrayList<>();
        for (int s = 0; s < stores.size(); s++) {
            ImgStore store = stores.get(s);
            if (shown[s] >= 0) {
                images.add(store.getFrameByIndex(shown[s]).image());
            } else {
                int[] shape = store.imageShape();
                images.add(Image.blank(shape[0], shape[1], shape.length == 3 ? 3 : 1, store.pixelType()));
            }
        }
        return switch (kind) {
            case PNG -> ImageCodec.encode(SideBySide.concat(images), ".png", jpegQuality);
            case JPEG -> ImageCodec.encode(SideBySide.concat(images).toEightBit(), ".jpg", jpegQuality);
            case NPY -> stack(images);
        };
    }

    private static byte[] stack(List<Image> images) {
        Image first = images.get(0);
        int[] frame = first.shape();
        int[] shape = new int[frame.length + 1];
        shape[0] = images.size();
        System.arraycopy(frame, 0, shape, 1, frame.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Npy.header(first.pixelType() == PixelType.UINT8 ? "|u1" : "<u2", shape));
        for (Image i : images) {
            out.writeBytes(i.data());
        }
        return out.toByteArray();
    }

    private static void checkSameShape(List<ImgStore> stores) {
        ImgStore first = stores.get(0);
        for (ImgStore s : stores) {
            if (!Arrays.equals(s.imageShape(), first.imageShape()) || s.pixelType() != first.pixelType()) {
                throw new BadRequestException("an npy stack needs frames of one shape and dtype; the stores have "
                        + Arrays.toString(first.imageShape()) + " " + first.pixelType().dtype() + " and "
                        + Arrays.toString(s.imageShape()) + " " + s.pixelType().dtype() + " (use png or jpeg)");
            }
        }
    }

    private Leases lease(List<String> ids) {
        if (ids.isEmpty() || ids.size() > MAX_STORES) {
            throw new BadRequestException("stores: give 1 to " + MAX_STORES + " store ids, comma-separated");
        }
        Leases leases = new Leases(new ArrayList<>());
        try {
            for (String id : ids) {
                leases.leases().add(registry.lease(id));
            }
            return leases;
        } catch (RuntimeException e) {
            leases.close();
            throw e;
        }
    }

    private record Leases(List<StoreRegistry.Lease> leases) {
        List<ImgStore> stores() {
            return leases.stream().map(StoreRegistry.Lease::store).toList();
        }

        void close() {
            leases.forEach(StoreRegistry.Lease::close);
        }
    }
}
