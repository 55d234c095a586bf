package io.imgstore.service.bulk;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of bulk reads, alignment and clips: {@code imgstore.bulk.*}.
 *
 * @param maxFrames           most frames one bulk read ({@code GET /stores/{id}/frames}) may select
 * @param streams             bulk streams (bulk reads, clips) decoding at once; more get {@code 503}
 * @param headerListMaxFrames most frames whose numbers and times an {@code application/x-npy}
 *                            answer lists in its {@code X-Frame-Numbers}/{@code X-Frame-Times} headers
 *                            (beyond it they are left out: use npz or the record format)
 * @param maxClipFrames       most frames one clip ({@code clip.mp4}) may hold
 * @param maxAlignFrames      most aligned rows one {@code GET /align} may answer
 * @param maxBodyBytes        largest body of a {@code POST /stores/{id}/frames} read (the list of frame
 *                            numbers): a larger {@code Content-Length} is refused before reading, a
 *                            chunked body once it grows past it ({@code 413})
 */
@Validated
@ConfigurationProperties("imgstore.bulk")
public record BulkProperties(
        @Min(1) @Max(100_000_000) int maxFrames,
        @Min(1) @Max(1024) int streams,
        @Min(0) @Max(1000) int headerListMaxFrames,
        @Min(1) @Max(10_000_000) int maxClipFrames,
        @Min(1) @Max(100_000_000) int maxAlignFrames,
        @Min(64) @Max(1L << 30) long maxBodyBytes) {

    @ConstructorBinding
    public BulkProperties(Integer maxFrames, Integer streams, Integer headerListMaxFrames, Integer maxClipFrames,
                          Integer maxAlignFrames, Long maxBodyBytes) {
        this(maxFrames == null ? 100_000 : maxFrames,
                streams == null ? Math.max(2, Runtime.getRuntime().availableProcessors()) : streams,
                headerListMaxFrames == null ? 100 : headerListMaxFrames,
                maxClipFrames == null ? 10_000 : maxClipFrames,
                maxAlignFrames == null ? 1_000_000 : maxAlignFrames,
                maxBodyBytes == null ? 4L << 20 : maxBodyBytes);
    }

    /** The defaults (as when nothing is configured). */
    public static BulkProperties defaults() {
        return new BulkProperties(null, null, null, null, null, null);
    }
}
