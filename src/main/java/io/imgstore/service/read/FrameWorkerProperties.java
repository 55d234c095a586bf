package io.imgstore.service.read;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the frame-serving workers: {@code imgstore.frames.*}. Decoding, resizing and encoding a
 * frame run on a fixed pool of {@code workers} threads with a queue of at most {@code queueCapacity}
 * waiting frames; a frame request that finds pool and queue full is answered {@code 503} at once
 * (never an unbounded pile-up).
 *
 * @param workers       threads decoding and encoding frames (default: the number of CPUs)
 * @param queueCapacity frame requests that may wait for a worker (0: none wait; default 64)
 * @param timeout       longest a request waits for its frame (queue + work) before it gets {@code 503}
 * @param jpegQuality   JPEG quality when the request gives none (1..100)
 * @param maxDimension  largest width or height a resized frame may be given ({@code ?width=}, {@code ?height=})
 * @param cacheMaxAge   {@code Cache-Control: max-age} of frames of closed stores (they never change)
 */
@Validated
@ConfigurationProperties("imgstore.frames")
public record FrameWorkerProperties(
        @Min(1) @Max(1024) int workers,
        @Min(0) @Max(100_000) int queueCapacity,
        @NotNull Duration timeout,
        @Min(1) @Max(100) int jpegQuality,
        @Min(1) @Max(65_535) int maxDimension,
        @NotNull Duration cacheMaxAge) {

    @ConstructorBinding
    public FrameWorkerProperties(Integer workers, Integer queueCapacity, Duration timeout, Integer jpegQuality,
                                 Integer maxDimension, Duration cacheMaxAge) {
        this(workers == null ? Runtime.getRuntime().availableProcessors() : workers,
                queueCapacity == null ? 64 : queueCapacity,
                timeout == null ? Duration.ofSeconds(30) : timeout,
                jpegQuality == null ? 90 : jpegQuality,
                maxDimension == null ? 8192 : maxDimension,
                cacheMaxAge == null ? Duration.ofDays(365) : cacheMaxAge);
    }

    /** The defaults (as when nothing is configured). */
    public static FrameWorkerProperties defaults() {
        return new FrameWorkerProperties(null, null, null, null, null, null);
    }
}
