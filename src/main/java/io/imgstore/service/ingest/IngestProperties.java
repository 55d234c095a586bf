package io.imgstore.service.ingest;

import io.imgstore.service.security.LegacyWriteAccess;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The write side of the service: {@code imgstore.ingest.*} (see README, "Configuration").
 *
 * @param token            bearer token every write (and, with {@code protectReads}, every read) must carry; empty: none
 * @param readOnly         refuse every write with 403 (stores already open are left as they are)
 * @param protectReads     also require the token for reads ({@code GET /stores/**}, the live WebSocket)
 * @param maxHeaderBytes   largest JSON header of a frame record
 * @param maxPayloadBytes  largest frame payload (raw pixels or an encoded png/jpeg)
 * @param queueFrames      frames of one stream parsed ahead of the writer (so reading the socket and writing
 *                         the disk/encoder overlap); the stream's socket is not read while the queue is full
 * @param maxBufferedBytes frame bytes held by all streams together (parsed, not yet written); readers block beyond
 * @param syncInterval     how often open writers' journals are forced to disk and readers refreshed to see new frames
 * @param recoverOnStart   on start, reopen stores left open ({@code .lock}) by a killed server and keep them open
 * @param liveMaxFps       most frames a second pushed to each {@code /live} watcher (newest frame wins)
 * @param liveJpegQuality  JPEG quality of live frames and of {@code /frames/latest?format=jpeg}
 * @param maxFrameBytes    largest raw frame (height x width x channels x bytes per sample): stores with larger
 *                         frames are refused at {@code POST /stores}, records with a longer payload are malformed
 * @param maxExtraDataBytes largest extra-data object of one request ({@code POST /stores/{id}/extra-data}, a
 *                         WebSocket {@code {"extra": ...}} message or a record's {@code "extra"}), as JSON
 * @param maxExtraDataBytesPerChunk largest {@code .extra.json} of one chunk; extra data beyond it is refused
 */
@Validated
@ConfigurationProperties("imgstore.ingest")
public record IngestProperties(
        String token,
        boolean readOnly,
        boolean protectReads,
        @Min(64) @Max(16 * 1024 * 1024) int maxHeaderBytes,
        @Min(1) long maxPayloadBytes,
        @Min(1) @Max(64) int queueFrames,
        @Min(1) long maxBufferedBytes,
        @NotNull Duration syncInterval,
        Boolean recoverOnStart,
        @Min(1) @Max(120) int liveMaxFps,
        @Min(1) @Max(100) int liveJpegQuality,
        @Min(1) @Max(Integer.MAX_VALUE - 16) long maxFrameBytes,
        @Min(1) long maxExtraDataBytes,
        @Min(1) long maxExtraDataBytesPerChunk) implements LegacyWriteAccess {

    /** Default of {@link #maxFrameBytes}: 256 MiB (e.g. 8192 x 8192 x 3 uint16 is 384 MiB, refused). */
    public static final long DEFAULT_MAX_FRAME_BYTES = 256L * 1024 * 1024;
    /** Default of {@link #maxExtraDataBytes}: 1 MiB. */
    public static final long DEFAULT_MAX_EXTRA_DATA_BYTES = 1024L * 1024;
    /** Default of {@link #maxExtraDataBytesPerChunk}: 64 MiB. */
    public static final long DEFAULT_MAX_EXTRA_DATA_BYTES_PER_CHUNK = 64L * 1024 * 1024;

    public IngestProperties {
        token = token == null || token.isBlank() ? null : token.strip();
        maxHeaderBytes = maxHeaderBytes == 0 ? 64 * 1024 : maxHeaderBytes;
        maxPayloadBytes = maxPayloadBytes == 0 ? 512L * 1024 * 1024 : maxPayloadBytes;
        queueFrames = queueFrames == 0 ? 2 : queueFrames;
        maxBufferedBytes = maxBufferedBytes == 0 ? 256L * 1024 * 1024 : maxBufferedBytes;
        syncInterval = syncInterval == null ? Duration.ofSeconds(1) : syncInterval;
        recoverOnStart = recoverOnStart == null ? Boolean.TRUE : recoverOnStart;
        liveMaxFps = liveMaxFps == 0 ? 10 : liveMaxFps;
        liveJpegQuality = liveJpegQuality == 0 ? 80 : liveJpegQuality;
        maxFrameBytes = maxFrameBytes == 0 ? DEFAULT_MAX_FRAME_BYTES : maxFrameBytes;
        maxExtraDataBytes = maxExtraDataBytes == 0 ? DEFAULT_MAX_EXTRA_DATA_BYTES : maxExtraDataBytes;
        maxExtraDataBytesPerChunk = maxExtraDataBytesPerChunk == 0 ? DEFAULT_MAX_EXTRA_DATA_BYTES_PER_CHUNK
                : maxExtraDataBytesPerChunk;
    }

    /** Defaults, for tests and tools. */
    public static IngestProperties defaults() {
        return new IngestProperties(null, false, false, 0, 0, 0, 0, null, null, 0, 0, 0, 0, 0);
    }

    public boolean tokenRequired() {
        return token != null;
    }
}
