package io.imgstore.service.read;

import io.imgstore.service.read.Representation.Kind;
import io.imgstore.service.web.BadRequestException;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotAcceptableException;

/**
 * Picks a frame's representation from {@code ?format=} (wins when given) or the {@code Accept}
 * header (PNG when both are silent or equal), plus {@code ?quality=}, {@code ?width=}, {@code ?height=}.
 */
@Component
class RepresentationResolver {

    private static final List<Kind> PREFERENCE = List.of(Kind.PNG, Kind.JPEG, Kind.NPY);
    private static final List<MediaType> SUPPORTED = PREFERENCE.stream().map(k -> k.mediaType).toList();

    private final FrameWorkerProperties properties;

    RepresentationResolver(FrameWorkerProperties properties) {
        this.properties = properties;
    }

    /**
     * @throws BadRequestException                 for unknown formats or out-of-range numbers
     * @throws HttpMediaTypeNotAcceptableException when {@code Accept} allows none of png, jpeg, npy
     */
    Representation resolve(String format, String accept, Integer quality, Integer width, Integer height)
            throws HttpMediaTypeNotAcceptableException {
        Kind kind = format != null && !format.isBlank() ? byName(format) : byAccept(accept);
        if (quality != null && (quality < 1 || quality > 100)) {
            throw new BadRequestException("quality must be 1..100, got " + quality);
        }
        int w = size("width", width);
        int h = size("height", height);
        int q = kind == Kind.JPEG ? (quality == null ? properties.jpegQuality() : quality) : 0;
        return new Representation(kind, q, w, h);
    }

    private int size(String name, Integer v) {
        if (v == null) {
            return 0;
        }
        if (v < 1 || v > properties.maxDimension()) {
            throw new BadRequestException(name + " must be 1.." + properties.maxDimension() + ", got " + v);
        }
        return v;
    }

    static Kind byName(String format) {
        return switch (format.trim().toLowerCase(Locale.ROOT)) {
            case "png" -> Kind.PNG;
            case "jpeg", "jpg" -> Kind.JPEG;
            case "npy" -> Kind.NPY;
            default -> throw new BadRequestException("format must be png, jpeg or npy, got '" + format + "'");
        };
    }

    static Kind byAccept(String accept) throws HttpMediaTypeNotAcceptableException {
        AcceptHeader a = AcceptHeader.parse(accept);
        if (a == null) {
            return Kind.PNG;
        }
        Kind best = null;
        double bestQ = 0;
        for (Kind k : PREFERENCE) {
            double q = a.quality(k.mediaType);
            if (q > bestQ) {
                best = k;
                bestQ = q;
            }
        }
        if (best == null) {
            throw new HttpMediaTypeNotAcceptableException(SUPPORTED);
        }
        return best;
    }
}
