package io.imgstore.service.read;

import io.imgstore.service.web.BadRequestException;
import java.util.List;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/** An {@code Accept} header: which q value it gives a media type (RFC 9110 section 12.5.1). */
final class AcceptHeader {

    private final List<MediaType> ranges;

    private AcceptHeader(List<MediaType> ranges) {
        this.ranges = ranges;
    }

    /**
     * @return null for a missing or empty header (anything is acceptable)
     * @throws BadRequestException for a malformed header
     */
    static AcceptHeader parse(String accept) {
        if (accept == null || accept.isBlank()) {
            return null;
        }
        try {
            return new AcceptHeader(MediaType.parseMediaTypes(accept));
        } catch (InvalidMediaTypeException e) {
            throw new BadRequestException("malformed Accept header");
        }
    }

    /** The q value of the most specific range that includes {@code type}; 0 when none does. */
    double quality(MediaType type) {
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
