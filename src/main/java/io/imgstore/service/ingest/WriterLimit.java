package io.imgstore.service.ingest;

import io.imgstore.format.StoreSpec;
import io.imgstore.service.web.ApiError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The guard of {@link WriterLimitProperties}: a new store is refused with 503 {@code /problems/busy}
 * when it would open more writers than {@code max-open}, or when its video encoder's estimated native
 * memory would exceed the native budget. The estimate is per writer: {@code video-writer-base +
 * video-writer-per-pixel x height x width} (image formats: none; their frames are on the heap, bounded
 * by {@code imgstore.ingest.max-buffered-bytes}).
 */
@Component
public class WriterLimit {

    private static final Logger LOG = LoggerFactory.getLogger(WriterLimit.class);

    /** Refused: too many writers open (503 busy, {@code Retry-After}). */
    public static final class TooManyWritersException extends RuntimeException implements ApiError {
        public TooManyWritersException(String message) {
            super(message);
        }

        @Override
        public HttpStatus status() {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }

        @Override
        public String problemType() {
            return "busy";
        }
    }

    private final int maxOpen;
    /** Bytes; Long.MAX_VALUE: none. */
    private final long nativeBudget;
    private final String budgetSource;
    private final long base;
    private final long perPixel;

    @org.springframework.beans.factory.annotation.Autowired
    public WriterLimit(WriterLimitProperties p) {
        this(p, containerLimit(), Runtime.getRuntime().maxMemory());
    }

    WriterLimit(WriterLimitProperties p, long containerLimit, long heapMax) {
        this.maxOpen = p.maxOpen();
        this.base = p.videoWriterBase().toBytes();
        this.perPixel = p.videoWriterPerPixel();
        if (p.nativeBudget() != null) {
            nativeBudget = p.nativeBudget().toBytes();
            budgetSource = "imgstore.ingest.writers.native-budget";
        } else if (containerLimit > 0) {
            nativeBudget = Math.max(0, containerLimit - heapMax - p.nativeReserve().toBytes());
            budgetSource = "container memory limit " + mb(containerLimit) + " - heap max " + mb(heapMax)
                    + " - imgstore.ingest.writers.native-reserve " + mb(p.nativeReserve().toBytes());
        } else {
            nativeBudget = Long.MAX_VALUE;
            budgetSource = "no container memory limit";
        }
        if (nativeBudget != Long.MAX_VALUE) {
            LOG.info("native memory budget of video writers: {} ({}); one 1920x1200 H.264 writer counts {}",
                    mb(nativeBudget), budgetSource, mb(base + perPixel * 1920L * 1200));
        }
    }

    static WriterLimit unlimited() {
        return new WriterLimit(new WriterLimitProperties(0, org.springframework.util.unit.DataSize.ofBytes(Long.MAX_VALUE),
                org.springframework.util.unit.DataSize.ofBytes(0), org.springframework.util.unit.DataSize.ofBytes(0), 0),
                -1, 0);
    }

    /** Estimated native bytes of one open writer of this spec. */
    public long nativeBytes(StoreSpec spec) {
        if (!spec.format().video()) {
            return 0;
        }
        return base + perPixel * (long) spec.imgshape()[0] * spec.imgshape()[1];
    }

    public long nativeBudget() {
        return nativeBudget;
    }

    /** @throws TooManyWritersException when one more writer of {@code spec} would exceed a limit */
    void check(StoreSpec spec, Collection<WriterSession> open) {
        if (maxOpen > 0 && open.size() >= maxOpen) {
            throw new TooManyWritersException(open.size() + " stores are open for writing, the most"
                    + " imgstore.ingest.writers.max-open allows; close one, or retry later");
        }
        long need = nativeBytes(spec);
        if (need == 0 || nativeBudget == Long.MAX_VALUE) {
            return;
        }
        long used = 0;
        for (WriterSession s : open) {
            used += nativeBytes(s.spec());
        }
        if (used + need > nativeBudget) {
            throw new TooManyWritersException("not enough memory for another video writer: its encoder needs about "
                    + mb(need) + " outside the heap, the " + open.size() + " open writer(s) use about " + mb(used)
                    + " of " + mb(nativeBudget) + " (" + budgetSource + "); close a store, raise the container's"
                    + " memory limit, or retry later");
        }
    }

    /** The cgroup v2 (or v1) memory limit of this process in bytes, or -1 when there is none. */
    static long containerLimit() {
        for (String f : new String[] {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
            try {
                String v = Files.readString(Path.of(f)).trim();
                if (v.equals("max")) {
                    return -1;
                }
                long l = Long.parseLong(v);
                return l >= (1L << 60) ? -1 : l; // cgroup v1's "no limit" is a huge number
            } catch (IOException | NumberFormatException | SecurityException e) {
                // next
            }
        }
        return -1;
    }

    static String mb(long bytes) {
        return (bytes + (1 << 19)) / (1 << 20) + " MB";
    }
}
