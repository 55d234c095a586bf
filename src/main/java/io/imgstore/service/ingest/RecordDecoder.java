package io.imgstore.service.ingest;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.PixelType;
import io.imgstore.format.codec.ImageCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Incremental parser of the ingest wire format: a sequence of records, each a 4-byte big-endian
 * header length N, N bytes of UTF-8 JSON header, then the payload (raw pixels in the store's
 * shape and dtype, or {@code payload_length} bytes of png/jpeg when the header says so).
 *
 * <p>Bytes are copied straight into the frame's own array (one allocation per frame, no buffering
 * of the stream): memory is bounded by one frame plus the header. Fed either from an
 * {@link InputStream} (HTTP) or from {@link ByteBuffer} fragments (WebSocket). Not thread-safe.
 */
public final class RecordDecoder {

    /** Receives each complete record. */
    @FunctionalInterface
    public interface Sink {
        void accept(FrameRecord record) throws InterruptedException;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private enum State { LENGTH, HEADER, PAYLOAD }

    private final int height;
    private final int width;
    private final int channels;
    private final PixelType pixelType;
    private final long rawBytes;
    private final int maxHeaderBytes;
    private final long maxPayloadBytes;
    private final BufferBudget budget;

    private State state = State.LENGTH;
    private byte[] target = new byte[4];
    private int filled;
    private long records;
    private long streamOffset;

    // the record being read
    private long frameNumber;
    private double frameTime;
    private Map<String, Object> extra;
    private String payloadKind;
    private long held;

    public RecordDecoder(int[] imgshape, PixelType pixelType, int maxHeaderBytes, long maxPayloadBytes,
                         BufferBudget budget) {
        this.height = imgshape[0];
        this.width = imgshape[1];
        this.channels = imgshape.length == 3 ? imgshape[2] : 1;
        this.pixelType = pixelType;
        this.rawBytes = (long) height * width * channels * pixelType.bytes();
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.budget = budget;
    }

    /** Size of one raw frame record's payload. */
    public long rawFrameBytes() {
        return rawBytes;
    }

    /** Records completed so far. */
    public long records() {
        return records;
    }

    /** True between records (nothing of a next record read yet). */
    public boolean atBoundary() {
        return state == State.LENGTH && filled == 0;
    }

    /**
     * Reads records from {@code in} until its end, handing each to {@code sink}. A stream that ends
     * mid-record throws {@link MalformedRecordException}; read errors (client gone) propagate.
     */
    public void readFrom(InputStream in, Sink sink) throws IOException, InterruptedException {
        while (true) {
            int n = in.read(target, filled, target.length - filled);
            if (n < 0) {
                if (!atBoundary()) {
                    throw new MalformedRecordException("stream ended inside record " + records + " ("
                            + describePosition() + ")");
                }
                return;
            }
            advance(n, sink);
        }
    }

    /** Consumes a fragment (e.g. a WebSocket message part). */
    public void feed(ByteBuffer data, Sink sink) throws InterruptedException {
        while (data.hasRemaining()) {
            int n = Math.min(data.remaining(), target.length - filled);
            data.get(target, filled, n);
            advance(n, sink);
        }
    }

    /** What is missing of an incomplete record (for error messages). */
    public String describePosition() {
        return switch (state) {
            case LENGTH -> filled + " of 4 header-length bytes";
            case HEADER -> filled + " of " + target.length + " header bytes";
            case PAYLOAD -> filled + " of " + target.length + " payload bytes";
        };
    }

    /** Gives back the budget of a record left incomplete (stream ended or failed). */
    public void abort() {
        budget.release(held);
        held = 0;
        state = State.LENGTH;
        target = new byte[4];
        filled = 0;
    }

    private void advance(int n, Sink sink) throws InterruptedException {
        filled += n;
        streamOffset += n;
        if (filled < target.length) {
            return;
        }
        switch (state) {
            case LENGTH -> {
                long len = ((target[0] & 0xffL) << 24) | ((target[1] & 0xff) << 16) | ((target[2] & 0xff) << 8)
                        | (target[3] & 0xff);
                if (len < 2 || len > maxHeaderBytes) {
                    throw new MalformedRecordException("record " + records + ": header length " + len
                            + " outside 2.." + maxHeaderBytes + " (each record starts with a 4-byte big-endian "
                            + "header length)");
                }
                state = State.HEADER;
                target = new byte[(int) len];
                filled = 0;
            }
            case HEADER -> {
                long payload = parseHeader(target);
                held = budget.acquire(Math.max(payload, rawBytes));
                state = State.PAYLOAD;
                target = new byte[(int) payload];
                filled = 0;
                if (payload == 0) {
                    throw new MalformedRecordException("record " + records + ": empty payload");
                }
            }
            case PAYLOAD -> {
                byte[] payload = target;
                state = State.LENGTH;
                target = new byte[4];
                filled = 0;
                Image image = toImage(payload);
                FrameRecord r = new FrameRecord(frameNumber, frameTime, extra, image, held);
                held = 0;
                records++;
                sink.accept(r);
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Parses a header; returns the payload length. */
    private long parseHeader(byte[] bytes) {
        JsonNode h;
        try {
            h = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new MalformedRecordException("record " + records + ": header is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (h == null || !h.isObject()) {
            throw new MalformedRecordException("record " + records + ": header must be a JSON object");
        }
        JsonNode fn = h.get("frame_number");
        if (fn == null || !fn.isNumber() || (!fn.isIntegralNumber() && fn.asDouble() != Math.rint(fn.asDouble()))) {
            throw new MalformedRecordException("record " + records + ": header needs an integer \"frame_number\"");
        }
        frameNumber = fn.asLong();
        JsonNode ft = h.get("frame_time");
        if (ft == null || ft.isNull()) {
            frameTime = System.currentTimeMillis() / 1000.0;
        } else if (ft.isNumber()) {
            frameTime = ft.asDouble();
        } else {
            throw new MalformedRecordException("record " + records + ": \"frame_time\" must be a number");
        }
        JsonNode ex = h.get("extra");
        if (ex == null || ex.isNull()) {
            extra = null;
        } else if (ex.isObject()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.convertValue(ex, Map.class);
            extra = m;
        } else {
            throw new MalformedRecordException("record " + records + ": \"extra\" must be a JSON object");
        }
        JsonNode kind = h.get("payload");
        payloadKind = kind == null || kind.isNull() ? "raw" : kind.asString().toLowerCase(Locale.ROOT);
        JsonNode lenNode = h.get("payload_length");
        Long declared = lenNode == null || lenNode.isNull() ? null
                : lenNode.isIntegralNumber() ? lenNode.asLong() : Long.valueOf(-1);
        switch (payloadKind) {
            case "raw" -> {
                if (declared != null && declared != rawBytes) {
                    throw new MalformedRecordException("record " + records + ": payload_length " + declared
                            + " but a raw frame of shape " + shapeText() + " " + pixelType.dtype() + " has "
                            + rawBytes + " bytes");
                }
                return rawBytes;
            }
            case "png", "jpeg", "jpg" -> {
                if (declared == null || declared <= 0 || declared > maxPayloadBytes) {
                    throw new MalformedRecordException("record " + records + ": a \"" + payloadKind
                            + "\" payload needs \"payload_length\" between 1 and " + maxPayloadBytes);
                }
                return declared;
            }
            default -> throw new MalformedRecordException("record " + records + ": unknown payload \""
                    + payloadKind + "\" (raw, png or jpeg)");
        }
    }

    private Image toImage(byte[] payload) {
        if (payloadKind.equals("raw")) {
            return new Image(height, width, channels, pixelType, payload);
        }
        Image img;
        try {
            img = ImageCodec.decode(payload, channels == 3);
        } catch (ImgStoreException e) {
            throw new MalformedRecordException("record " + records + ": cannot decode the " + payloadKind
                    + " payload: " + e.getMessage(), e);
        }
        if (img.height() != height || img.width() != width || img.pixelType() != pixelType) {
            throw new MalformedRecordException("record " + records + ": " + payloadKind + " image is "
                    + Arrays.toString(img.shape()) + " " + img.pixelType().dtype() + ", the store's frames are "
                    + shapeText() + " " + pixelType.dtype());
        }
        return img;
    }

    private String shapeText() {
        return channels == 1 ? "[" + height + ", " + width + "]" : "[" + height + ", " + width + ", 3]";
    }
}
