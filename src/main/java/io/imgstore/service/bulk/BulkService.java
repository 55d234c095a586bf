package io.imgstore.service.bulk;

import io.imgstore.format.FrameInfo;
import io.imgstore.format.ImgStore;
import io.imgstore.service.catalog.StoreRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.StringJoiner;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;

/**
 * Streams the frames of a bulk read: selection from the index (validated, counted, before anything
 * is sent), then one sequential reader walks the selected frames in order and each decoded frame
 * is written straight to the response (the servlet output blocks while the client is behind, which
 * stops the decoding: back-pressure; one frame in memory per stream).
 *
 * <p>Once the first byte is sent a failure can only cut the answer short: the connection closes
 * without the final chunk (records, npz) or before {@code Content-Length} bytes (npy).
 */
@Service
class BulkService {

    static final String FRAME_COUNT = "X-Frame-Count";
    static final String FRAME_NUMBERS = "X-Frame-Numbers";
    static final String FRAME_TIMES = "X-Frame-Times";
    static final String FRAME_SHAPE = "X-Frame-Shape";
    static final String FRAME_DTYPE = "X-Frame-Dtype";
    /** Response buffer (and so HTTP chunk) size of a bulk stream. */
    static final int STREAM_BUFFER = 256 * 1024;

    private final StoreRegistry registry;
    private final BulkStreams streams;
    private final BulkProperties properties;

    BulkService(StoreRegistry registry, BulkStreams streams, BulkProperties properties) {
        this.registry = registry;
        this.streams = streams;
        this.properties = properties;
    }

    /**
     * Answers a bulk read; with {@code head} (a HEAD request) the headers only: the selection is
     * worked out from the index, nothing is decoded.
     */
    void stream(String id, FrameSelection.Query query, BulkFormat format, boolean head, HttpServletResponse response)
            throws IOException {
        try (StoreRegistry.Lease lease = registry.lease(id)) {
            ImgStore store = lease.store();
            FrameSelection selection = FrameSelection.of(store, query, properties.maxFrames());
            try (BulkStreams.Permit permit = streams.acquire()) {
                int n = selection.size();
                long[] numbers = new long[n];
                double[] times = new double[n];
                for (int k = 0; k < n; k++) {
                    FrameInfo info = store.frameInfo(selection.indexes()[k]);
                    numbers[k] = info.frameNumber();
                    times[k] = info.frameTime();
                }
                int[] shape = store.imageShape();
                response.setContentType(format.mediaType.toString());
                response.setHeader(FRAME_COUNT, Integer.toString(n));
                response.setHeader(FRAME_SHAPE, join(shape));
                response.setHeader(FRAME_DTYPE, store.pixelType().dtype());
                response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(id.replaceAll("[^A-Za-z0-9._-]", "_") + "-frames." + format.extension).build()
                        .toString());
                if (format == BulkFormat.NPY) {
                    response.setContentLengthLong(NpyWriter.length(n, shape, store.pixelType()));
                    if (n <= properties.headerListMaxFrames()) {
                        response.setHeader(FRAME_NUMBERS, join(numbers));
                        response.setHeader(FRAME_TIMES, joinTimes(times));
                    }
                }
                if (head) {
                    return;
                }
                // Tomcat sends each filled response buffer as one HTTP chunk: 8 KB by default, i.e. ~100
                // chunk headers per 512x512 colour frame for the client to parse (Python's http.client
                // spends a call per chunk); 256 KB per stream cuts that 32-fold
                response.setBufferSize(STREAM_BUFFER);
                OutputStream out = response.getOutputStream();
                FrameWriter writer = switch (format) {
                    case RECORDS -> new RecordsWriter(out);
                    case NPY -> new NpyWriter(out, n, shape, store.pixelType());
                    case NPZ -> new NpzWriter(out, numbers, times, shape, store.pixelType());
                };
                try {
                    writer.begin();
                    try (ImgStore.SequentialReader reader = store.sequentialReader()) {
                        for (int index : selection.indexes()) {
                            reader.read(index, (info, pixels) -> {
                                writer.frame(info, pixels);
                                return null;
                            });
                        }
                    }
                    writer.end();
                } catch (RuntimeException e) {
                    if (!response.isCommitted()) {
                        response.reset(); // nothing sent yet: the problem+json answer replaces these headers
                    }
                    throw e;
                }
            }
        }
    }

    private static String join(int[] values) {
        StringJoiner j = new StringJoiner(",");
        for (int v : values) {
            j.add(Integer.toString(v));
        }
        return j.toString();
    }

    private static String join(long[] values) {
        StringJoiner j = new StringJoiner(",");
        for (long v : values) {
            j.add(Long.toString(v));
        }
        return j.toString();
    }

    private static String joinTimes(double[] values) {
        StringJoiner j = new StringJoiner(",");
        for (double v : values) {
            j.add(FrameWriter.time(v));
        }
        return j.toString();
    }
}
