package io.imgstore.service.security;

import io.imgstore.service.catalog.StoreIds;
import io.imgstore.service.catalog.StoreNotInRootException;

/** Store paths (relative to the root) against the path prefix of a token. */
final class StorePaths {

    private StorePaths() {
    }

    /** A prefix as a folder: {@code rig3/}, {@code /rig3}, {@code rig3} all read as {@code rig3}. */
    static String folder(String prefix) {
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** {@code a/b/c}: non-empty segments, none {@code .} or {@code ..}, no backslash or NUL. */
    static boolean isPlainRelative(String path) {
        if (path == null || path.isEmpty() || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** Whether the store at {@code path} lies inside folder {@code prefix} (null: anywhere). */
    static boolean inside(String path, String prefix) {
        if (prefix == null) {
            return true;
        }
        if (path == null) {
            return false;
        }
        String p = path.startsWith("./") ? path.substring(2) : path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return isPlainRelative(p) && p.startsWith(prefix + "/");
    }

    /** The store path of an id, or null for an id that names no path. */
    static String pathOfId(String id) {
        try {
            return StoreIds.pathFor(id);
        } catch (StoreNotInRootException e) {
            return null;
        }
    }
}
