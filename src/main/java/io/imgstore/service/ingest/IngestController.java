package io.imgstore.service.ingest;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.service.web.ApiProblems;
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
    private static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    private final IngestSessions sessions;
    private final IngestProperties props;

    public IngestController(IngestSessions sessions) {
        this.sessions = sessions;
        this.props = sessions.properties();
    }

    @PostMapping(path = "/stores", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<StoreSummary> create(@RequestBody CreateStoreRequest request) {
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
            try {
                decoder.readFrom(in, stream::submit);
            } catch (MalformedRecordException | InvalidImageException e) {
                decoder.abort();
                long n = stream.drain();
                discardRest(in);
                return problem(HttpStatus.BAD_REQUEST, "malformed-record", e.getMessage() + "; " + n
                        + " frame(s) of this request were accepted and stay in the store", n, session);
            } catch (IOException e) {
                // the client went away (or timed out) mid-stream: every complete record is kept
                decoder.abort();
                long n = stream.drain();
                if (e instanceof UploadTooSlowException) {
                    return problem(HttpStatus.REQUEST_TIMEOUT, "upload-too-slow", e.getMessage() + "; " + n
                            + " frame(s) of this request were accepted and stay in the store", n, session);
                }
                LOG.info("client of store {} disconnected after {} frame(s): {}", id, n, e.toString());
                return problem(HttpStatus.BAD_REQUEST, "stream-interrupted", "the request body ended abruptly ("
                        + e.getMessage() + "); " + n + " frame(s) of this request were accepted", n, session);
            } catch (InterruptedException e) {
                decoder.abort();
                Thread.currentThread().interrupt();
                long n = stream.drain();
                return problem(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "the server is stopping; " + n
                        + " frame(s) of this request were accepted", n, session);
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

    /** Single-frame form, for curl: an image (png/jpeg) or raw pixels as the body. */
    @PostMapping(path = "/stores/{id}/frames",
            consumes = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> pushOne(@PathVariable String id,
                                     @RequestHeader(name = "X-Frame-Number", required = false) Long frameNumber,
                                     @RequestHeader(name = "X-Frame-Time", required = false) Double frameTime,
                                     HttpServletRequest request) throws IOException, InterruptedException {
        WriterSession session = sessions.session(id);
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 16,
                props.maxPayloadBytes() + 1));
        if (body.length > props.maxPayloadBytes()) {
            throw new InvalidImageException("frame body larger than imgstore.ingest.max-payload-bytes");
        }
        StoreSpec spec = session.spec();
        int[] shape = spec.imgshape();
        int channels = shape.length == 3 ? 3 : 1;
        Image image;
        if (MediaType.APPLICATION_OCTET_STREAM.isCompatibleWith(MediaType.parseMediaType(request.getContentType()))) {
            image = new Image(shape[0], shape[1], channels, spec.pixelType(), body);
        } else {
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
        long number = frameNumber != null ? frameNumber : session.frameCount();
        double time = frameTime != null ? frameTime : System.currentTimeMillis() / 1000.0;
        try (WriterSession.Stream stream = session.openStream("POST from " + request.getRemoteAddr(), null)) {
            long held = sessions.budget().acquire(body.length); // given back by the writer (or by submit on failure)
            stream.submit(new FrameRecord(number, time, null, image, held));
            long n = stream.drain();
            if (stream.failure() != null) {
                return writeFailure(stream.failure(), stream, session);
            }
            return ResponseEntity.ok(written(n, session));
        }
    }

    @PostMapping(path = "/stores/{id}/extra-data", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> extraData(@PathVariable String id, @RequestBody Map<String, Object> data) {
        WriterSession session = sessions.session(id);
        if (session.frameCount() == 0) {
            throw new InvalidImageException("extra data belongs to the most recent frame: add a frame first");
        }
        session.addExtraData(data);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("frame_count", session.frameCount());
        return out;
    }

    @PostMapping(path = "/stores/{id}/close", produces = MediaType.APPLICATION_JSON_VALUE)
    public StoreSummary close(@PathVariable String id) {
        return sessions.close(id);
    }

    private static Map<String, Object> written(long n, WriterSession session) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("frames_written", n);
        out.put("frame_count", session.frameCount());
        return out;
    }

    private ResponseEntity<ProblemDetail> writeFailure(RuntimeException e, WriterSession.Stream stream,
                                                       WriterSession session) {
        long n = stream.drain();
        if (e instanceof InvalidImageException || e instanceof MalformedRecordException) {
            return problem(HttpStatus.BAD_REQUEST, "malformed-record", e.getMessage() + "; " + n
                    + " frame(s) of this request were accepted", n, session);
        }
        if (e instanceof StoreClosedException) {
            return problem(HttpStatus.CONFLICT, "store-closed", e.getMessage() + "; " + n
                    + " frame(s) of this request were accepted", n, session);
        }
        LOG.warn("writing store {} failed: {}", session.id(), e.toString());
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "store-error", "writing failed: " + e.getMessage() + "; "
                + n + " frame(s) of this request were accepted", n, session);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String detail, long accepted,
                                                 WriterSession session) {
        ProblemDetail p = ApiProblems.problem(status, type, detail);
        p.setProperty("frames_accepted", accepted);
        p.setProperty("frame_count", session.frameCount());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
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
