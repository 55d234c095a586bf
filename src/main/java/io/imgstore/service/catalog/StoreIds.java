package io.imgstore.service.catalog;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Store ids: URL-path-safe and stable names for a store's path relative to the root. A path whose
 * segments are plain ({@code [A-Za-z0-9._-]}, not starting with a dot) reads as itself with
 * {@code ~} for {@code /} ({@code lab/rig1} -> {@code lab~rig1}); any other path is
 * {@code b64.} + its base64url. Both forms decode back to exactly one relative path.
 */
public final class StoreIds {

    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String B64 = "b64.";

    private StoreIds() {
    }

    /** The id of a relative, {@code /}-separated path. */
    public static String idFor(String relativePath) {
        boolean plain = !relativePath.isEmpty();
        for (String seg : relativePath.split("/", -1)) {
            plain &= PLAIN_SEGMENT.matcher(seg).matches();
        }
        if (plain) {
            return relativePath.replace('/', '~');
        }
        return B64 + Base64.getUrlEncoder().withoutPadding().encodeToString(relativePath.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The relative path an id names (not yet checked against the file system).
     *
     * @throws StoreNotInRootException for ids that cannot be decoded
     */
    public static String pathFor(String id) {
        if (id == null || id.isEmpty()) {
            throw new StoreNotInRootException("empty store id");
        }
        if (id.startsWith(B64)) {
            try {
                return new String(Base64.getUrlDecoder().decode(id.substring(B64.length())), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new StoreNotInRootException("unknown store id");
            }
        }
        String path = id.replace('~', '/');
        for (String seg : path.split("/", -1)) {
            if (!PLAIN_SEGMENT.matcher(seg).matches()) {
                throw new StoreNotInRootException("unknown store id");
            }
        }
        return path;
    }
}
