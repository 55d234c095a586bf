package io.imgstore.service.read;

import io.imgstore.service.web.BadRequestException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The one home of list paging ({@code offset}/{@code limit}) for {@code GET /stores},
 * {@code /frame-metadata} and {@code /extra-data}: the checks, the slice, and the headers
 * {@code X-Total-Count} (rows matched in all) and {@code Link: <...>; rel="next"} (the same request
 * with the next offset, only when a limit was given and rows remain).
 *
 * @param offset rows skipped
 * @param limit  most rows returned, or null for all
 * @param total  rows matched in all
 */
record Paging(int offset, Integer limit, int total) {

    static final String TOTAL_COUNT = "X-Total-Count";
    /** Most rows of a per-frame table ({@code frame-metadata}, {@code extra-data}) in one answer. */
    static final int MAX_FRAME_ROWS = 100_000;

    /**
     * Checks a request's paging.
     *
     * @param max largest limit allowed, or 0 for no bound
     * @throws BadRequestException for a negative offset or limit, or a limit above {@code max}
     */
    static void check(int offset, Integer limit, int max) {
        if (offset < 0) {
            throw new BadRequestException("offset must be >= 0, got " + offset);
        }
        if (limit != null && limit < 0) {
            throw new BadRequestException("limit must be >= 0, got " + limit);
        }
        if (max > 0 && limit != null && limit > max) {
            throw new BadRequestException("limit must be <= " + max + ", got " + limit
                    + "; page with offset and the Link: rel=\"next\" header");
        }
    }

    /** First row of the page (at most {@link #total}). */
    int from() {
        return Math.min(offset, total);
    }

    /** One past the last row of the page. */
    int to() {
        return limit == null ? total : (int) Math.min((long) from() + limit, total);
    }

    HttpHeaders headers() {
        HttpHeaders h = new HttpHeaders();
        h.set(TOTAL_COUNT, Integer.toString(total));
        if (limit != null && limit > 0 && to() < total) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest()
                    .replaceQueryParam("offset", offset + limit).build().toUriString();
            h.add(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return h;
    }

    /** Sets {@link #headers()} on a response written directly. */
    void apply(HttpServletResponse response) {
        headers().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
    }
}
