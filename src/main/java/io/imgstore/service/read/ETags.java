package io.imgstore.service.read;

/** {@code If-None-Match} evaluation (RFC 9110 section 13.1.2: weak comparison, {@code *}, lists). */
final class ETags {

    private ETags() {
    }

    /** True when {@code ifNoneMatch} names {@code etag} (a quoted strong tag) or is {@code *}. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank() || etag == null) {
            return false;
        }
        String opaque = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || opaque(c).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        return t.trim();
    }
}
