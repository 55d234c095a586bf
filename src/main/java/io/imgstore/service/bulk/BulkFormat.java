package io.imgstore.service.bulk;

import io.imgstore.service.web.BadRequestException;
import java.util.List;
import java.util.Locale;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;

/** The representations of a bulk read, chosen by {@code ?format=} or else by {@code Accept}. */
enum BulkFormat {

    /** The ingest record format: 4-byte big-endian header length, JSON header, raw pixels; per frame. */
    RECORDS("records", MediaType.parseMediaType("application/x-imgstore-frames"), "frames"),
    /** One stacked array {@code (n, h, w[, 3])}. */
    NPY("npy", MediaType.parseMediaType("application/x-npy"), "npy"),
    /** A zip of {@code frame_number.npy}, {@code frame_time.npy} and {@code frames.npy}. */
    NPZ("npz", MediaType.parseMediaType("application/zip"), "npz");

    static final MediaType NPZ_ALIAS = MediaType.parseMediaType("application/x-npz");

    final String token;
    final MediaType mediaType;
    final String extension;

    BulkFormat(String token, MediaType mediaType, String extension) {
        this.token = token;
        this.mediaType = mediaType;
        this.extension = extension;
    }

    /**
     * {@code ?format=} ({@code records}, {@code npy}, {@code npz}) wins; else the first of
     * records, npy, npz the {@code Accept} header takes with the highest q; no header: records.
     */
    static BulkFormat resolve(String format, String accept) throws HttpMediaTypeNotAcceptableException {
        if (format != null && !format.isBlank()) {
            String f = format.trim().toLowerCase(Locale.ROOT);
            for (BulkFormat b : values()) {
                if (b.token.equals(f) || (b == RECORDS && f.equals("frames"))) {
                    return b;
                }
            }
            throw new BadRequestException("unknown format '" + format + "' (records, npy or npz)");
        }
        if (accept == null || accept.isBlank()) {
            return RECORDS;
        }
        List<MediaType> ranges;
        try {
            ranges = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            throw new BadRequestException("malformed Accept header");
        }
        BulkFormat best = null;
        double bestQ = 0;
        for (BulkFormat b : values()) {
            double q = Math.max(quality(ranges, b.mediaType), b == NPZ ? quality(ranges, NPZ_ALIAS) : 0);
            if (q > bestQ) {
                best = b;
                bestQ = q;
            }
        }
        if (best == null) {
            throw new HttpMediaTypeNotAcceptableException(
                    List.of(RECORDS.mediaType, NPY.mediaType, NPZ.mediaType, NPZ_ALIAS));
        }
        return best;
    }

    private static double quality(List<MediaType> ranges, MediaType type) {
        MediaType match = null;
        for (MediaType r : ranges) {
            if (r.includes(type) && (match == null || specificity(r) > specificity(match))) {
                match = r;
            }
        }
        return match == null ? 0 : match.getQualityValue();
    }

    private static int specificity(MediaType r) {
        return r.isWildcardType() ? 0 : r.isWildcardSubtype() ? 1 : 2;
    }
}
