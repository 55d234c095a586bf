package io.imgstore.service.bulk;

import io.imgstore.format.ImgStore;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.codec.ClipRemuxer;
import io.imgstore.format.codec.FragmentedMp4Writer;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.service.web.BadRequestException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;

/**
 * Clips: the frames of a number range re-encoded to H.264 in fragmented mp4 as they are decoded
 * (one sequential reader, one frame in memory, the encoder writes each fragment to the response;
 * a slow client slows the decoding), or, for keyframe-aligned ranges of avc1/mp4 stores without
 * {@code fps}/{@code width}, the H.264 packets copied without re-encoding ({@link ClipRemuxer});
 * {@code X-Clip-Mode} tells which.
 */
@Service
class ClipService {

    static final int MAX_WIDTH = 8192;
    /** Response header: {@code copy} (packets copied, not re-encoded) or {@code encode}. */
    static final String CLIP_MODE = "X-Clip-Mode";
    private static final Logger LOG = LoggerFactory.getLogger(ClipService.class);

    private final StoreRegistry registry;
    private final BulkStreams streams;
    private final BulkProperties properties;

    ClipService(StoreRegistry registry, BulkStreams streams, BulkProperties properties) {
        this.registry = registry;
        this.streams = streams;
        this.properties = properties;
    }

    void stream(String id, Long from, Long to, Double fps, Integer width, boolean head, HttpServletResponse response)
            throws IOException {
        if (fps != null && !(fps >= 1 && fps <= 240)) {
            throw new BadRequestException("fps must be 1..240, got " + fps);
        }
        if (width != null && (width < 2 || width > MAX_WIDTH)) {
            throw new BadRequestException("width must be 2.." + MAX_WIDTH + ", got " + width);
        }
        try (StoreRegistry.Lease lease = registry.lease(id)) {
            ImgStore store = lease.store();
            FrameSelection selection = FrameSelection.of(store,
                    new FrameSelection.Query(from, to, null, null, null, null), properties.maxClipFrames(),
                    "imgstore.bulk.max-clip-frames");
            if (selection.size() == 0) {
                throw new io.imgstore.format.FrameNotFoundException("no frames in that range");
            }
            int[] shape = store.imageShape();
            int outWidth = width == null ? shape[1] : width;
            int outHeight = width == null ? shape[0] : (int) Math.max(2, Math.round((double) shape[0] * width / shape[1]));
            double rate = fps != null ? fps : rate(store, selection);
            try (BulkStreams.Permit permit = streams.acquire()) {
                Optional<ClipRemuxer.Plan> copy = fps == null && width == null ? copyPlan(store, selection)
                        : Optional.empty();
                response.setContentType("video/mp4");
                response.setHeader(BulkService.FRAME_COUNT, Integer.toString(selection.size()));
                response.setHeader(CLIP_MODE, copy.isPresent() ? "copy" : "encode");
                response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline()
                        .filename(id.replaceAll("[^A-Za-z0-9._-]", "_") + ".mp4").build().toString());
                if (head) {
                    return; // HEAD: the headers only, nothing decoded or copied
                }
                OutputStream out = response.getOutputStream();
                if (copy.isPresent()) {
                    try {
                        copy.get().copy(rate, out);
                    } catch (RuntimeException e) {
                        if (!response.isCommitted()) {
                            response.reset();
                        }
                        throw e;
                    }
                    out.flush();
                    return;
                }
                try (FragmentedMp4Writer mp4 = FragmentedMp4Writer.open(out, outHeight, outWidth, rate);
                     ImgStore.SequentialReader reader = store.sequentialReader()) {
                    for (int index : selection.indexes()) {
                        mp4.write(reader.read(index).image());
                    }
                } catch (RuntimeException e) {
                    if (!response.isCommitted()) {
                        response.reset(); // nothing sent yet: the problem+json answer replaces these headers
                    }
                    throw e;
                }
                out.flush();
            }
        }
    }

    /**
     * The stream-copy plan when the clip can be copied without re-encoding: an avc1/mp4 store of
     * 8-bit frames without an image encoding, a run of consecutive frames, each chunk's part
     * starting on a keyframe (checked by {@link ClipRemuxer#plan} from the packets). Chunks are
     * read through the store's {@link io.imgstore.format.storage.StoreFiles}: local files by path,
     * others (object storage) through a channel, so such stores are copied too.
     */
    static Optional<ClipRemuxer.Plan> copyPlan(ImgStore store, FrameSelection selection) {
        if (!StoreFormat.AVC1_MP4.equals(store.format()) || store.encoding() != null
                || store.pixelType() != PixelType.UINT8 || selection.size() == 0) {
            return Optional.empty();
        }
        int[] idx = selection.indexes();
        List<ClipRemuxer.Run> runs = new ArrayList<>();
        ImgStore.ChunkPosition start = store.chunkPosition(idx[0]);
        int count = 1;
        for (int k = 1; k < idx.length; k++) {
            if (idx[k] != idx[k - 1] + 1) {
                return Optional.empty();
            }
            ImgStore.ChunkPosition p = store.chunkPosition(idx[k]);
            if (p.chunk() == start.chunk()) {
                if (p.position() != start.position() + count) {
                    return Optional.empty();
                }
                count++;
            } else {
                runs.add(new ClipRemuxer.Run(store.videoChunkFile(start.chunk()), start.position(), count));
                start = p;
                count = 1;
            }
        }
        runs.add(new ClipRemuxer.Run(store.videoChunkFile(start.chunk()), start.position(), count));
        ClipRemuxer.Decision d = ClipRemuxer.plan(store.files(), runs);
        if (d.plan().isEmpty()) {
            LOG.debug("clip of {} re-encoded: {}", store.path().getFileName(), d.reason());
        }
        return d.plan();
    }

    /** The recording's frame rate over the selection (frames per second of frame time), else 25. */
    private static double rate(ImgStore store, FrameSelection s) {
        if (s.size() < 2) {
            return 25;
        }
        double t0 = store.frameInfo(s.indexes()[0]).frameTime();
        double t1 = store.frameInfo(s.indexes()[s.size() - 1]).frameTime();
        double r = (s.size() - 1) / (t1 - t0);
        return Double.isFinite(r) && r >= 1 && r <= 240 ? Math.round(r * 1000) / 1000.0 : 25;
    }
}
