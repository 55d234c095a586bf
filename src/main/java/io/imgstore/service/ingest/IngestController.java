package io.imgstore.service.ingest;

import io.imgstore.format.ExtraDataTooLargeException;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.service.security.StoreAccess;
import io.imgstore.service.web.BadRequestException;
import io.imgstore.service.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The write endpoints: create a store, push frames (a stream of records, or one image), add extra
 * data, close. The wire format is documented in {@code openapi/ingest.yaml} and the README.
 */
@RestController
public class IngestController {

    /** Content type of a stream of frame records. */
    public static final String FRAMES = "application/x-imgstore-frames";

    private static final Logger LOG = LoggerFactory.getLogger(IngestController.class);
    /** After a malformed record, at most this much of the rest of the body is read (and dropped) so that the
     * client, still sending, gets to read the error rather than a reset connection. */
    /** Request header of a frame stream: the store's frame count the client expects before its first record. */
    public static final String EXPECTED_FRAME_COUNT = "X-Expected-Frame-Count";

    private static final long DISCARD_LIMIT = 64L * 1024 * 1024;
    private static final JsonMapper EXTRA_JSON = JsonMapper.builder().build();

    private final IngestSessions sessions;
    private final IngestProperties props;
    private final Problems problems;
    private final IngestWebSocketHandler webSockets;

    public IngestController(IngestSessions sessions, Problems problems, IngestWebSocketHandler webSockets) {
        this.sessions = sessions;
        this.props = sessions.properties();
        this.problems = problems;
        this.webSockets = webSockets;
    }

    @PostMapping(path = "/stores", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<StoreSummary> create(@RequestBody CreateStoreRequest request) {
        StoreAccess.checkCreate(request.path());
        if (Boolean.TRUE.equals(request.existOk())) {
            WriterSession existing = sessions.existing(request);
            if (existing != null) {
                return ResponseEntity.ok(StoreSummary.of(existing, true));
            }
        }
        WriterSession s = sessions.create(request);
        URI location = URI.create("/stores/" + UriUtils.encodePathSegment(s.id(), java.nio.charset.StandardCharsets.UTF_8));
        return ResponseEntity.created(location).body(StoreSummary.of(s, true));
    }

    @PostMapping(path = "/stores/{id}/frames", consumes = FRAMES, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> pushStream(@PathVariable String id, HttpServletRequest request) throws IOException {
        WriterSession session = sessions.session(id);
        RecordDecoder decoder = session.decoder(props);
        try (WriterSession.Stream stream = session.openStream("POST from " + request.getRemoteAddr(), null)) {
            InputStream in = request.getInputStream();
            ResponseEntity<ProblemDetail> stale = checkExpectedFrameCount(request, session);
            if (stale != null) {
                return stale;
            }
            try {
                decoder.readFrom(in, stream::submit);
            } catch (MalformedRecordException | InvalidImageException e) {
                decoder.abort();
                long n = stream.drain();
                discardRest(in);
                return problem(RecordDecoder.malformed(e), "; " + n
                        + " frame(s) of this request were accepted and stay in the store", n, session);
            } catch (IOException e) {
                // the client went away (or timed out) mid-stream: every complete record is kept
                decoder.abort();
                long n = stream.drain();
                if (e instanceof UploadTooSlowException) {
                    return problem(e, "; " + n + " frame(s) of this request were accepted and stay in the store",
                            n, session);
                }
                LOG.info("client of store {} disconnected after {} frame(s): {}", id, n, e.toString());
                return problem(Problems.problem(HttpStatus.BAD_REQUEST, "stream-interrupted", "the request body ended"
                        + " abruptly (" + e.getMessage() + "); " + n + " frame(s) of this request were accepted"),
                        n, session);
            } catch (InterruptedException e) {
                decoder.abort();
                Thread.currentThread().interrupt();
                long n = stream.drain();
                return problem(Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "the server is"
                        + " stopping; " + n + " frame(s) of this request were accepted"), n, session);
            } catch (ShuttingDownException e) {
                // server shutdown: what arrived complete is written; the rig retries after the restart
                decoder.abort();
                long n = stream.drain();
                return problem(e, "; " + n + " frame(s) of this request were accepted and stay in the store",
                        n, session);
            } catch (RuntimeException e) {
                decoder.abort();
                return writeFailure(e, stream, session);
            }
            long n = stream.drain();
            if (stream.failure() != null) {
                return writeFailure(stream.failure(), stream, session);
            }
            return ResponseEntity.ok(written(n, session));
        }
    }

    /**
     * Single-frame form, for curl: an image (png/jpeg) or raw pixels as the body. {@code X-Frame-Number} must be an
     * integer that fits int64 and {@code X-Frame-Time} a finite number (400 {@code malformed-record} otherwise).
     * The body is bounded (raw: exactly one frame; png/jpeg: {@code max-payload-bytes} and {@code max-frame-bytes})
     * and counted against the buffer budget before it is read.
     */
    @PostMapping(path = "/stores/{id}/frames",
            consumes = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> pushOne(@PathVariable String id,
                                     @RequestHeader(name = "X-Frame-Number", required = false) String frameNumber,
                                     @RequestHeader(name = "X-Frame-Time", required = false) String frameTime,
                                     HttpServletRequest request) throws IOException, InterruptedException {
        WriterSession session = sessions.session(id);
        Long number = frameNumber == null || frameNumber.isBlank() ? null
                : RecordDecoder.frameNumber(frameNumber, "X-Frame-Number: ");
        double time = frameTime == null || frameTime.isBlank() ? System.currentTimeMillis() / 1000.0
                : RecordDecoder.frameTime(frameTime, "X-Frame-Time: ");
        StoreSpec spec = session.spec();
        int[] shape = spec.imgshape();
        int channels = shape.length == 3 ? 3 : 1;
        long frameBytes;
        try {
            frameBytes = RecordDecoder.frameBytes(shape, spec.pixelType());
        } catch (ArithmeticException e) {
            frameBytes = Long.MAX_VALUE;
        }
        if (frameBytes > props.maxFrameBytes()) {
            throw new MalformedRecordException("the store's frames (" + java.util.Arrays.toString(shape) + " "
                    + spec.pixelType().dtype() + ") are larger than imgstore.ingest.max-frame-bytes ("
                    + props.maxFrameBytes() + ")");
        }
        boolean raw = MediaType.APPLICATION_OCTET_STREAM.isCompatibleWith(MediaType.parseMediaType(request.getContentType()));
        long limit = raw ? frameBytes : Math.min(props.maxPayloadBytes(), props.maxFrameBytes());
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw new MalformedRecordException(raw ? "raw frame body has " + declared + " bytes, a frame of shape "
                    + java.util.Arrays.toString(shape) + " " + spec.pixelType().dtype() + " has " + frameBytes
                    : "frame body has " + declared + " bytes, more than " + limitName(limit) + " (" + limit + ")");
        }
        // reserved before anything is read: the body (at most `limit`) plus, for png/jpeg, the decoded frame
        long held = sessions.budget().acquire((declared >= 0 ? declared : limit) + (raw ? 0 : frameBytes));
        boolean submitted = false;
        try {
            byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
            Image image;
            if (raw) {
                if (body.length != frameBytes) {
                    throw new MalformedRecordException("raw frame body has " + (body.length > limit ? "more than " + limit
                            : String.valueOf(body.length)) + " bytes, a frame of shape " + java.util.Arrays.toString(shape)
                            + " " + spec.pixelType().dtype() + " has " + frameBytes);
                }
                image = new Image(shape[0], shape[1], channels, spec.pixelType(), body);
            } else {
                if (body.length > limit) {
                    throw new MalformedRecordException("frame body larger than " + limitName(limit) + " (" + limit + ")");
                }
                int[] wh = io.imgstore.format.codec.EncodedImages.dimensions(body);
                if (wh == null) {
                    throw new InvalidImageException("the body is not a png or jpeg image");
                }
                if (wh[0] != shape[1] || wh[1] != shape[0]) {
                    throw new InvalidImageException("image is " + wh[0] + "x" + wh[1] + " (width x height), the store's"
                            + " frames are " + shape[1] + "x" + shape[0]);
                }
                try {
                    image = ImageCodec.decode(body, channels == 3);
                } catch (ImgStoreException e) {
                    throw new InvalidImageException("cannot decode the image: " + e.getMessage());
                }
                if (image.height() != shape[0] || image.width() != shape[1] || image.pixelType() != spec.pixelType()) {
                    throw new InvalidImageException("image is " + java.util.Arrays.toString(image.shape()) + " "
                            + image.pixelType().dtype() + ", the store's frames are " + java.util.Arrays.toString(shape)
                            + " " + spec.pixelType().dtype());
                }
            }
            try (WriterSession.Stream stream = session.openStream("POST from " + request.getRemoteAddr(), null)) {
                long n0 = number != null ? number : session.frameCount();
                submitted = true; // from here the writer (or submit on failure) gives the budget back
                stream.submit(new FrameRecord(n0, time, null, image, held));
                long n = stream.drain();
                if (stream.failure() != null) {
                    return writeFailure(stream.failure(), stream, session);
                }
                return ResponseEntity.ok(written(n, session));
            }
        } finally {
            if (!submitted) {
                sessions.budget().release(held);
            }
        }
    }

    private String limitName(long limit) {
        return limit == props.maxFrameBytes() ? "imgstore.ingest.max-frame-bytes" : "imgstore.ingest.max-payload-bytes";
    }

    /**
     * {@code add_extra_data} for the most recent frame. The body is read up to
     * {@code imgstore.ingest.max-extra-data-bytes} and no further: a larger one gets 413.
     */
    @PostMapping(path = "/stores/{id}/extra-data", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> extraData(@PathVariable String id, HttpServletRequest request) throws IOException {
        WriterSession session = sessions.session(id);
        Map<String, Object> data;
        try {
            data = readExtraData(request.getInputStream(), request.getContentLengthLong(), props.maxExtraDataBytes());
        } catch (ExtraDataTooLargeException e) {
            // as for frames: a client still sending gets to read the 413 rather than a reset connection
            // (bounded by DISCARD_LIMIT; a trickling client is ended by the upload rate check)
            if (request.getContentLengthLong() <= DISCARD_LIMIT) {
                discardRest(request.getInputStream());
            }
            throw e;
        }
        if (session.frameCount() == 0) {
            throw new BadRequestException("extra data belongs to the most recent frame: add a frame first");
        }
        session.addExtraData(data);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("frame_count", session.frameCount());
        return out;
    }

    /** A JSON object of at most {@code limit} bytes, read no further than {@code limit + 1} bytes. */
    static Map<String, Object> readExtraData(InputStream in, long contentLength, long limit) throws IOException {
        if (contentLength > limit) {
            throw new ExtraDataTooLargeException("extra data of " + contentLength + " bytes is larger than "
                    + "imgstore.ingest.max-extra-data-bytes (" + limit + ")");
        }
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
        if (body.length > limit) {
            throw new ExtraDataTooLargeException("extra data is larger than imgstore.ingest.max-extra-data-bytes ("
                    + limit + ")");
        }
        JsonNode node;
        try {
            node = EXTRA_JSON.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequestException("extra data is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("extra data must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = EXTRA_JSON.convertValue(node, Map.class);
        return data;
    }

    @PostMapping(path = "/stores/{id}/close", produces = MediaType.APPLICATION_JSON_VALUE)
    public StoreSummary close(@PathVariable String id) throws InterruptedException {
        // a WebSocket rig that sent its frames, closed and asked this at once may not hold the store yet
        webSockets.awaitOpened(id, OPENING_WAIT_MILLIS);
        return sessions.close(id);
    }

    /** How long a close waits for WebSocket connections to the store that are still opening. */
    private static final long OPENING_WAIT_MILLIS = 5_000;

    private static Map<String, Object> written(long n, WriterSession session) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("frames_written", n);
        out.put("frame_count", session.frameCount());
        return out;
    }

    private ResponseEntity<ProblemDetail> writeFailure(RuntimeException e, WriterSession.Stream stream,
                                                       WriterSession session) {
        long n = stream.drain();
        return problem(problems.ofStoreFailure(RecordDecoder.malformed(e), "writing failed: ", "; " + n
                + " frame(s) of this request were accepted"), n, session);
    }

    private ResponseEntity<ProblemDetail> problem(Throwable e, String suffix, long accepted, WriterSession session) {
        return problem(problems.of(e, suffix), accepted, session);
    }

    /**
     * {@code X-Expected-Frame-Count}: the frames the client believes the store holds before this request's
     * first record (checked once this request holds the store). A client resuming after a dropped connection
     * sends it, so that a stale request of its own that reaches the server late (through a proxy, a busy
     * server) is refused instead of writing frames the client has already resent: no duplicates. Absent:
     * no check.
     */
    private static ResponseEntity<ProblemDetail> checkExpectedFrameCount(HttpServletRequest request,
                                                                         WriterSession session) {
        String expected = request.getHeader(EXPECTED_FRAME_COUNT);
        if (expected == null || expected.isBlank()) {
            return null;
        }
        long want;
        try {
            want = Long.parseLong(expected.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException(EXPECTED_FRAME_COUNT + " must be an integer, not '" + expected + "'");
        }
        if (want == session.frameCount()) {
            return null;
        }
        return problem(Problems.problem(HttpStatus.CONFLICT, "frame-count-mismatch", "the store holds "
                + session.frameCount() + " frame(s), this request expected " + want + " (" + EXPECTED_FRAME_COUNT
                + "); nothing of it was written: resume after frame_count"), 0, session);
    }

    /** A problem of a frame upload: it says how many frames of the request were kept. */
    static ResponseEntity<ProblemDetail> problem(ProblemDetail p, long accepted, WriterSession session) {
        p.setProperty("frames_accepted", accepted);
        p.setProperty("frame_count", session.frameCount());
        return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static void discardRest(InputStream in) {
        byte[] sink = new byte[64 * 1024];
        long total = 0;
        try {
            int n;
            while (total < DISCARD_LIMIT && (n = in.read(sink)) >= 0) {
                total += n;
            }
        } catch (IOException ignored) {
            // the client gave up: nothing more to do
        }
    }
}
