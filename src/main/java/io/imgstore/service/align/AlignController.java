package io.imgstore.service.align;

import io.imgstore.service.read.FrameWorkerProperties;
import io.imgstore.service.web.BadRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Stores recorded together, aligned by frame number: {@code GET /align}, {@code GET /align/frames/{number}}. */
@RestController
class AlignController {

    static final MediaType NPY = MediaType.parseMediaType("application/x-npy");

    private final AlignService align;
    private final int jpegQuality;

    AlignController(AlignService align, FrameWorkerProperties frames) {
        this.align = align;
        this.jpegQuality = frames.jpegQuality();
    }

    @Operation(operationId = "align", summary = "Aligned frame numbers of several stores")
    @GetMapping(path = "/align", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> alignment(
            @Parameter(description = "store ids, comma-separated") @RequestParam String stores,
            @Parameter(description = "drop (default), hold or black") @RequestParam(required = false) String policy,
            @Parameter(description = "first frame number (inclusive)") @RequestParam(required = false) Long from,
            @Parameter(description = "last frame number (inclusive)") @RequestParam(required = false) Long to) {
        return align.align(ids(stores), AlignPolicy.parse(policy), from, to);
    }

    @Operation(operationId = "getAlignedFrames", summary = "The stores' frames for one aligned frame number")
    @GetMapping("/align/frames/{number}")
    ResponseEntity<byte[]> frames(
            @PathVariable long number,
            @Parameter(description = "store ids, comma-separated") @RequestParam String stores,
            @Parameter(description = "drop (default), hold or black") @RequestParam(required = false) String policy,
            @Parameter(description = "png (default), jpeg or npy; else by Accept") @RequestParam(required = false) String format,
            @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletRequest request)
            throws HttpMediaTypeNotAcceptableException {
        AlignService.Kind kind = kind(format, accept);
        // HEAD: status and type from the indexes, nothing decoded (so no Content-Length)
        boolean head = "HEAD".equals(request.getMethod());
        AlignService.Rendered r = align.frames(ids(stores), AlignPolicy.parse(policy), number, kind, jpegQuality, head);
        MediaType type = switch (r.kind()) {
            case PNG -> MediaType.IMAGE_PNG;
            case JPEG -> MediaType.IMAGE_JPEG;
            case NPY -> NPY;
        };
        return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noCache())
                .varyBy(HttpHeaders.ACCEPT).body(r.body()); // null for HEAD: headers only
    }

    private static List<String> ids(String stores) {
        List<String> ids = Arrays.stream(stores.split(",", -1)).map(String::trim).toList();
        if (ids.stream().anyMatch(String::isEmpty)) {
            throw new BadRequestException("stores: empty store id in '" + stores + "'");
        }
        return ids;
    }

    private static AlignService.Kind kind(String format, String accept) throws HttpMediaTypeNotAcceptableException {
        if (format != null && !format.isBlank()) {
            return switch (format.trim().toLowerCase(Locale.ROOT)) {
                case "png" -> AlignService.Kind.PNG;
                case "jpeg", "jpg" -> AlignService.Kind.JPEG;
                case "npy" -> AlignService.Kind.NPY;
                default -> throw new BadRequestException("unknown format '" + format + "' (png, jpeg or npy)");
            };
        }
        if (accept == null || accept.isBlank()) {
            return AlignService.Kind.PNG;
        }
        List<MediaType> ranges;
        try {
            ranges = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            throw new BadRequestException("malformed Accept header");
        }
        ranges = new java.util.ArrayList<>(ranges);
        ranges.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType r : ranges) {
            if (r.getQualityValue() > 0) {
                if (r.includes(MediaType.IMAGE_PNG)) {
                    return AlignService.Kind.PNG;
                }
                if (r.includes(MediaType.IMAGE_JPEG)) {
                    return AlignService.Kind.JPEG;
                }
                if (r.includes(NPY)) {
                    return AlignService.Kind.NPY;
                }
            }
        }
        throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.IMAGE_PNG, MediaType.IMAGE_JPEG, NPY));
    }
}
