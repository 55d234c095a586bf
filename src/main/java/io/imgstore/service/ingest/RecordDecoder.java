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
    private static final byte[] EMPTY = new byte[0];

    private enum State { LENGTH, HEADER, PAYLOAD }

    private final int height;
    private final int width;
    private final int channels;
    private final PixelType pixelType;
    private final int[] imgshape;
    /** Bytes of one raw frame, or -1 when that overflows a long (such a store can take no frame). */
    private final long rawBytes;
    private final int maxHeaderBytes;
    private final long maxPayloadBytes;
    private final long maxFrameBytes;
    private final long maxExtraDataBytes;
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

    /** A decoder with the limits of {@code props} ({@code max-header-bytes}, {@code max-payload-bytes},
     * {@code max-frame-bytes}, {@code max-extra-data-bytes}). */
    public RecordDecoder(int[] imgshape, PixelType pixelType, IngestProperties props, BufferBudget budget) {
        this(imgshape, pixelType, props.maxHeaderBytes(), props.maxPayloadBytes(), props.maxFrameBytes(),
                props.maxExtraDataBytes(), budget);
    }

    /** A decoder with the default {@code max-frame-bytes} and {@code max-extra-data-bytes}. */
    public RecordDecoder(int[] imgshape, PixelType pixelType, int maxHeaderBytes, long maxPayloadBytes,
                         BufferBudget budget) {
        this(imgshape, pixelType, maxHeaderBytes, maxPayloadBytes, IngestProperties.DEFAULT_MAX_FRAME_BYTES,
                IngestProperties.DEFAULT_MAX_EXTRA_DATA_BYTES, budget);
    }

    public RecordDecoder(int[] imgshape, PixelType pixelType, int maxHeaderBytes, long maxPayloadBytes,
                         long maxFrameBytes, long maxExtraDataBytes, BufferBudget budget) {
        this.imgshape = imgshape.clone();
        this.height = imgshape[0];
        this.width = imgshape[1];
        this.channels = imgshape.length == 3 ? imgshape[2] : 1;
        this.pixelType = pixelType;
        this.rawBytes = frameBytesOrMinusOne(imgshape, pixelType);
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxFrameBytes = maxFrameBytes;
        this.maxExtraDataBytes = maxExtraDataBytes;
        this.budget = budget;
    }

    /**
     * A bad image inside a frame stream is a malformed record ({@code 400 malformed-record}); any
     * other exception is returned as it is.
     */
    static RuntimeException malformed(RuntimeException e) {
        return e instanceof io.imgstore.format.InvalidImageException
                ? new MalformedRecordException(e.getMessage(), e) : e;
    }

    /**
     * Bytes of one raw frame of this shape and dtype (h x w x channels x bytes per sample), computed
     * without overflow.
     *
     * @throws ArithmeticException when it does not fit a long
     */
    public static long frameBytes(int[] imgshape, PixelType pixelType) {
        long n = pixelType.bytes();
        for (int d : imgshape) {
            if (d < 0) {
                throw new ArithmeticException("negative dimension " + d);
            }
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    private static long frameBytesOrMinusOne(int[] imgshape, PixelType pixelType) {
        try {
            return frameBytes(imgshape, pixelType);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /**
     * A {@code frame_number}: an integer that fits int64 (a JSON integer, or a float with an integral
     * value in range, e.g. {@code 5.0}); anything else is malformed.
     */
    static long frameNumber(JsonNode fn, String where) {
        if (fn != null && fn.isIntegralNumber() && fn.canConvertToLong()) {
            return fn.longValue();
        }
        if (fn != null && fn.isNumber() && !fn.isIntegralNumber()) {
            double d = fn.doubleValue();
            if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
                return (long) d;
            }
        }
        throw new MalformedRecordException(where + "\"frame_number\" must be an integer that fits int64, got "
                + abbreviate(fn));
    }

    /** A {@code frame_number} given as text (e.g. the {@code X-Frame-Number} header). */
    public static long frameNumber(String text, String where) {
        try {
            return new java.math.BigDecimal(text.strip()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new MalformedRecordException(where + "frame number must be an integer that fits int64, got '"
                    + abbreviate(text) + "'");
        }
    }

    /** A {@code frame_time}: a finite number (NaN, infinities and values beyond a double are malformed). */
    static double frameTime(JsonNode ft, String where) {
        if (ft != null && ft.isNumber()) {
            double d = ft.doubleValue();
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw new MalformedRecordException(where + "\"frame_time\" must be a finite number (seconds), got "
                + abbreviate(ft));
    }

    /** A {@code frame_time} given as text (e.g. the {@code X-Frame-Time} header). */
    public static double frameTime(String text, String where) {
        double d;
        try {
            d = new java.math.BigDecimal(text.strip()).doubleValue();
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!Double.isFinite(d)) {
            throw new MalformedRecordException(where + "frame time must be a finite number (seconds), got '"
                    + abbreviate(text) + "'");
        }
        return d;
    }

    private static String abbreviate(Object o) {
        String t = String.valueOf(o);
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
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
                // parseHeader bounds the payload (and the decoded frame) by max-frame-bytes and
                // max-payload-bytes; the budget is reserved before the payload array is allocated
                long payload = parseHeader(target);
                long reserve = payloadKind.equals("raw") ? rawBytes : payload + rawBytes;
                target = EMPTY;
                held = budget.acquire(reserve);
                state = State.PAYLOAD;
                target = new byte[(int) payload];
                filled = 0;
            }
            case PAYLOAD -> {
                byte[] payload = target;
                state = State.LENGTH;
                target = new byte[4];
                filled = 0;
                Image image;
                try {
                    image = toImage(payload);
                } catch (RuntimeException e) {
                    budget.release(held);
                    held = 0;
                    throw e;
                }
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
        String where = "record " + records + ": ";
        frameNumber = frameNumber(h.get("frame_number"), where);
        JsonNode ft = h.get("frame_time");
        frameTime = ft == null || ft.isNull() ? System.currentTimeMillis() / 1000.0 : frameTime(ft, where);
        JsonNode ex = h.get("extra");
        if (ex == null || ex.isNull()) {
            extra = null;
        } else if (ex.isObject()) {
            if (bytes.length > maxExtraDataBytes) {
                long size = JSON.writeValueAsBytes(ex).length;
                if (size > maxExtraDataBytes) {
                    throw new MalformedRecordException(where + "\"extra\" has " + size + " bytes of JSON, more than "
                            + "imgstore.ingest.max-extra-data-bytes (" + maxExtraDataBytes + ")");
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.convertValue(ex, Map.class);
            extra = m;
        } else {
            throw new MalformedRecordException(where + "\"extra\" must be a JSON object");
        }
        JsonNode kind = h.get("payload");
        if (kind != null && !kind.isNull() && !kind.isString()) {
            throw new MalformedRecordException(where + "\"payload\" must be a string (raw, png or jpeg)");
        }
        payloadKind = kind == null || kind.isNull() ? "raw" : kind.asString().toLowerCase(Locale.ROOT);
        if (rawBytes < 0 || rawBytes > maxFrameBytes) {
            throw new MalformedRecordException(where + "the store's frames (" + shapeText() + " "
                    + pixelType.dtype() + ") are larger than imgstore.ingest.max-frame-bytes (" + maxFrameBytes + ")");
        }
        JsonNode lenNode = h.get("payload_length");
        long declared;
        if (lenNode == null || lenNode.isNull()) {
            declared = -1;
        } else if (lenNode.isIntegralNumber() && lenNode.canConvertToLong() && lenNode.longValue() >= 0) {
            declared = lenNode.longValue();
        } else {
            throw new MalformedRecordException(where + "\"payload_length\" must be a non-negative integer, got "
                    + abbreviate(lenNode));
        }
        long perRecord = Math.min(maxPayloadBytes, maxFrameBytes);
        if (declared > perRecord) {
            throw new MalformedRecordException(where + "payload_length " + declared + " is larger than "
                    + (maxFrameBytes <= maxPayloadBytes ? "imgstore.ingest.max-frame-bytes (" + maxFrameBytes + ")"
                    : "imgstore.ingest.max-payload-bytes (" + maxPayloadBytes + ")"));
        }
        switch (payloadKind) {
            case "raw" -> {
                if (declared < 0) {
                    throw new MalformedRecordException(where + "a raw record needs \"payload_length\" (" + rawBytes
                            + " for frames of shape " + shapeText() + " " + pixelType.dtype() + ")");
                }
                JsonNode shape = h.get("shape");
                if (shape != null && !shape.isNull() && !sameShape(shape)) {
                    throw new MalformedRecordException(where + "shape " + abbreviate(shape) + " but the store's frames are "
                            + shapeText());
                }
                if (declared != rawBytes) {
                    throw new MalformedRecordException(where + "payload_length " + declared
                            + " but a raw frame of shape " + shapeText() + " " + pixelType.dtype() + " has "
                            + rawBytes + " bytes");
                }
                return rawBytes;
            }
            case "png", "jpeg", "jpg" -> {
                if (declared <= 0) {
                    throw new MalformedRecordException(where + "a \"" + payloadKind
                            + "\" payload needs \"payload_length\" between 1 and " + perRecord);
                }
                return declared;
            }
            default -> throw new MalformedRecordException(where + "unknown payload \""
                    + abbreviate(payloadKind) + "\" (raw, png or jpeg)");
        }
    }

    private boolean sameShape(JsonNode shape) {
        if (!shape.isArray()) {
            return false;
        }
        // [h, w] and [h, w, 1] are the same gray frame
        int[] expected = channels == 1 ? new int[] {height, width} : imgshape;
        int n = shape.size() == 3 && channels == 1 && shape.get(2).isIntegralNumber() && shape.get(2).intValue() == 1
                ? 2 : shape.size();
        if (n != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private Image toImage(byte[] payload) {
        if (payloadKind.equals("raw")) {
            return new Image(height, width, channels, pixelType, payload);
        }
        // only png or jpeg, of the store's size by their headers, reach the decoder: a small payload
        // claiming a huge image (or another format OpenCV would also decode) is refused undecoded
        int[] wh = io.imgstore.format.codec.EncodedImages.dimensions(payload);
        if (wh == null) {
            throw new MalformedRecordException("record " + records + ": the " + payloadKind
                    + " payload is not a png or jpeg image");
        }
        if (wh[0] != width || wh[1] != height) {
            throw new MalformedRecordException("record " + records + ": " + payloadKind + " image is " + wh[0] + "x"
                    + wh[1] + " (width x height), the store's frames are " + width + "x" + height);
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
        return Arrays.toString(imgshape);
    }
}
