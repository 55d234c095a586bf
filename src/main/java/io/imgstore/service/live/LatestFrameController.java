package io.imgstore.service.live;

import io.imgstore.format.Frame;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.FrameTimes;
import io.imgstore.format.ImgStore;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.service.ingest.IngestSessions;
import io.imgstore.service.ingest.LatestFrame;
import io.imgstore.service.ingest.WriterSession;
import io.imgstore.service.read.FrameRendering;
import io.imgstore.service.read.Representation;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /stores/{id}/frames/latest}: the newest frame, from memory while the store is being
 * written, else the last frame by index. A literal path, so it wins over the read API's
 * {@code /stores/{id}/frames/{number}} pattern. Headers {@code X-Frame-Number}, {@code X-Frame-Time}
 * and {@code X-Frame-Index} say which frame it is.
 */
@RestController
public class LatestFrameController {

    private final IngestSessions sessions;
    private final StoreRegistry registry;

    public LatestFrameController(IngestSessions sessions, StoreRegistry registry) {
        this.sessions = sessions;
        this.registry = registry;
    }

    @GetMapping(path = "/stores/{id}/frames/latest",
            produces = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE, "application/x-npy", "*/*"})
    public ResponseEntity<byte[]> latest(@PathVariable String id,
                                         @RequestParam(name = "format", required = false) String format,
                                         @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept)
            throws HttpMediaTypeNotAcceptableException {
        int quality = sessions.properties().liveJpegQuality();
        Representation rep = FrameRendering.negotiate(format, accept, quality);
        WriterSession s = sessions.find(id);
        LatestFrame lf = s == null ? null : s.latest();
        byte[] body;
        long number;
        double time;
        long index;
        if (lf != null) {
            String encoding = s.spec().encoding();
            // the JPEG is the one live watchers get (made once); other types are made for this request
            body = rep.kind() == Representation.Kind.JPEG
                    ? lf.jpeg(encoding, image -> FrameRendering.render(image, rep))
                    : FrameRendering.render(lf.display(encoding), rep);
            number = lf.frameNumber();
            time = lf.frameTime();
            index = lf.frameIndex();
        } else {
            try (StoreRegistry.Lease lease = registry.lease(id)) {
                ImgStore store = lease.store();
                int n = store.frameCount();
                if (n == 0) {
                    throw new FrameNotFoundException("store " + id + " has no frames yet");
                }
                Frame f = store.getFrameByIndex(n - 1);
                body = FrameRendering.render(f.image(), rep);
                number = f.info().frameNumber();
                time = f.info().frameTime();
                index = n - 1;
            }
        }
        MediaType type = rep.mediaType();
        return ResponseEntity.ok()
                .contentType(type)
                .cacheControl(CacheControl.noStore())
                .header("X-Frame-Number", Long.toString(number))
                .header("X-Frame-Time", FrameTimes.format(time))
                .header("X-Frame-Index", Long.toString(index))
                .body(body);
    }
}
