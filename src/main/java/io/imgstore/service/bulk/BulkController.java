package io.imgstore.service.bulk;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk reads: {@code GET /stores/{id}/frames} streams many frames in one answer, as ingest
 * records, one npy stack or an npz (see {@link BulkService}, {@link FrameSelection});
 * {@code GET /stores/{id}/clip.mp4} streams a range as H.264 fragmented mp4 ({@link ClipService}).
 */
@RestController
class BulkController {

    private final BulkService bulk;
    private final ClipService clips;
    private final BulkProperties properties;

    BulkController(BulkService bulk, ClipService clips, BulkProperties properties) {
        this.bulk = bulk;
        this.clips = clips;
        this.properties = properties;
    }

    @Operation(operationId = "getClip", summary = "A range of frames as H.264 in fragmented mp4, streamed")
    @GetMapping("/stores/{id}/clip.mp4")
    void clip(@PathVariable String id,
              @Parameter(description = "first frame number (inclusive)") @RequestParam(required = false) Long from,
              @Parameter(description = "last frame number (inclusive)") @RequestParam(required = false) Long to,
              @Parameter(description = "frame rate of the clip (default: the recording's)") @RequestParam(required = false) Double fps,
              @Parameter(description = "output width (height follows the aspect)") @RequestParam(required = false) Integer width,
              HttpServletRequest request, HttpServletResponse response) throws IOException {
        clips.stream(id, from, to, fps, width, isHead(request), response);
    }

    @Operation(operationId = "getFrames", summary = "Many frames in one streamed answer")
    @GetMapping("/stores/{id}/frames")
    void frames(@PathVariable String id,
                @Parameter(description = "first frame number (inclusive)") @RequestParam(required = false) Long from,
                @Parameter(description = "last frame number (inclusive)") @RequestParam(required = false) Long to,
                @Parameter(description = "every step-th frame number / index (>= 1)") @RequestParam(required = false) Long step,
                @Parameter(description = "first index (inclusive)") @RequestParam(name = "index_from", required = false) Long indexFrom,
                @Parameter(description = "last index (inclusive)") @RequestParam(name = "index_to", required = false) Long indexTo,
                @Parameter(description = "explicit frame numbers, comma-separated, order kept") @RequestParam(required = false) String numbers,
                @Parameter(description = "records, npy or npz (else by Accept)") @RequestParam(required = false) String format,
                @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                HttpServletRequest request, HttpServletResponse response)
            throws IOException, HttpMediaTypeNotAcceptableException {
        BulkFormat f = BulkFormat.resolve(format, accept);
        bulk.stream(id, new FrameSelection.Query(from, to, step, indexFrom, indexTo, numbers), f, isHead(request),
                response);
    }

    /**
     * The explicit list of {@code GET ?numbers=} in the body, for lists longer than a URL may be
     * (Tomcat's 8 KB request header limit): a read like GET (the security chain treats a POST with a
     * JSON or form body here as a read; ingest's POST to the same path has its own media types).
     */
    // hidden from the generated description: OpenAPI has one operation per method and path, and POST
    // /stores/{id}/frames is ingest's (openapi/ingest.yaml); openapi/bulk.yaml describes this read under GET
    @Operation(hidden = true)
    @PostMapping(path = "/stores/{id}/frames",
            consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_FORM_URLENCODED_VALUE})
    void framesByList(@PathVariable String id,
                      @Parameter(description = "records, npy or npz (else by Accept)") @RequestParam(required = false) String format,
                      @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                      HttpServletRequest request, HttpServletResponse response)
            throws IOException, HttpMediaTypeNotAcceptableException {
        BulkFormat f = BulkFormat.resolve(format, accept);
        long[] numbers = NumberListBody.read(request, properties.maxFrames(), properties.maxBodyBytes());
        bulk.stream(id, FrameSelection.Query.ofNumbers(numbers), f, false, response);
    }

    /** HEAD (Spring answers it with the GET handler): headers only, nothing decoded. */
    static boolean isHead(HttpServletRequest request) {
        return "HEAD".equals(request.getMethod());
    }
}
