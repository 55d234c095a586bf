package io.imgstore.service.read;

import io.imgstore.format.FrameTimes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Duration;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Frames as images: {@code /stores/{id}/frames/{number}}, {@code .../frames/by-index/{index}},
 * {@code .../frames/by-time/{seconds}}; representation by {@code ?format=} or {@code Accept}.
 */
@RestController
@RequestMapping("/stores/{id}/frames")
class FrameController {

    static final String FRAME_NUMBER = "X-Frame-Number";
    static final String FRAME_INDEX = "X-Frame-Index";
    static final String FRAME_TIME = "X-Frame-Time";

    private final FrameService frames;
    private final RepresentationResolver representations;
    private final CacheControl immutable;

    FrameController(FrameService frames, RepresentationResolver representations, FrameWorkerProperties properties) {
        this.frames = frames;
        this.representations = representations;
        Duration maxAge = properties.cacheMaxAge();
        this.immutable = CacheControl.maxAge(maxAge).cachePublic().immutable();
    }

    @Operation(operationId = "getFrameByNumber", summary = "The frame with this frame number")
    @GetMapping("/{number}")
    ResponseEntity<byte[]> byNumber(@PathVariable String id, @PathVariable long number,
                                    @Parameter(description = "false: the nearest frame number instead of 404")
                                    @RequestParam(defaultValue = "true") boolean exact,
                                    @ParameterObject RepresentationParams params,
                                    @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                    @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch)
            throws HttpMediaTypeNotAcceptableException {
        Representation r = representations.resolve(params.format(), accept, params.quality(), params.width(), params.height());
        return respond(id, frames.serve(id, new FrameSelector.ByNumber(number, exact), r, ifNoneMatch), r);
    }

    @Operation(operationId = "getFrameByIndex", summary = "The frame at this index (0 .. frame_count-1)")
    @GetMapping("/by-index/{index}")
    ResponseEntity<byte[]> byIndex(@PathVariable String id, @PathVariable long index,
                                    @ParameterObject RepresentationParams params,
                                   @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                   @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch)
            throws HttpMediaTypeNotAcceptableException {
        Representation r = representations.resolve(params.format(), accept, params.quality(), params.width(), params.height());
        return respond(id, frames.serve(id, new FrameSelector.ByIndex(index), r, ifNoneMatch), r);
    }

    @Operation(operationId = "getFrameByTime", summary = "The frame whose frame_time is nearest to this time")
    @GetMapping("/by-time/{seconds}")
    ResponseEntity<byte[]> byTime(@PathVariable String id, @PathVariable double seconds,
                                    @ParameterObject RepresentationParams params,
                                  @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                  @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch)
            throws HttpMediaTypeNotAcceptableException {
        Representation r = representations.resolve(params.format(), accept, params.quality(), params.width(), params.height());
        return respond(id, frames.serve(id, new FrameSelector.ByTime(seconds), r, ifNoneMatch), r);
    }

    /**
     * The representation query parameters every frame endpoint takes.
     *
     * @param format  {@code png} (default), {@code jpeg} or {@code npy}; else by {@code Accept}
     * @param quality JPEG quality 1..100
     * @param width   thumbnail width (aspect kept when only one of width/height is given)
     * @param height  thumbnail height
     */
    record RepresentationParams(String format, Integer quality, Integer width, Integer height) {
    }

    private ResponseEntity<byte[]> respond(String id, ServedFrame f, Representation r) {
        HttpHeaders h = new HttpHeaders();
        h.set(FRAME_NUMBER, Long.toString(f.info().frameNumber()));
        h.set(FRAME_INDEX, Long.toString(f.info().frameIndex()));
        h.set(FRAME_TIME, FrameTimes.format(f.info().frameTime()));
        h.setVary(java.util.List.of(HttpHeaders.ACCEPT));
        if (f.immutable()) {
            h.setCacheControl(immutable);
            h.setETag(f.etag());
        } else {
            h.setCacheControl(CacheControl.noCache());
        }
        if (f.notModified()) {
            return new ResponseEntity<>(h, HttpStatus.NOT_MODIFIED);
        }
        h.setContentType(f.mediaType());
        h.setContentDisposition(ContentDisposition.inline()
                .filename(id + "-" + f.info().frameNumber() + "." + r.kind().token).build());
        return new ResponseEntity<>(f.body(), h, HttpStatus.OK);
    }

}
