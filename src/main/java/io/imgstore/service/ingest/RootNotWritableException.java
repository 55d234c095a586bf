package io.imgstore.service.ingest;

import io.imgstore.format.ImgStoreException;
import io.imgstore.service.web.ApiError;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The store root (or the folder a new store goes in) refuses writes: a permission or read-only mount
 * problem of the deployment, not of the request. 503 {@code /problems/root-not-writable}; the log has
 * the absolute path, {@code /actuator/health/storeRoot} the state.
 */
public class RootNotWritableException extends RuntimeException implements ApiError {

    private static final Logger LOG = LoggerFactory.getLogger(RootNotWritableException.class);

    public RootNotWritableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.SERVICE_UNAVAILABLE;
    }

    @Override
    public String problemType() {
        return "root-not-writable";
    }

    /** This exception when {@code e} is a refused write (permission, read-only file system); otherwise {@code e}. */
    static RuntimeException orSame(ImgStoreException e, Path root, Path dir) {
        Throwable c = e.getCause();
        String reason = null;
        if (c instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (c instanceof FileSystemException f && f.getReason() != null
                && (f.getReason().contains("Read-only") || f.getReason().contains("not permitted"))) {
            reason = f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        if (reason == null) {
            return e;
        }
        String uid = uid();
        String rel = root.relativize(dir).toString();
        LOG.warn("cannot create store folder {}: {} (this server runs as uid {}; the store root {} must be writable"
                + " by it)", dir, reason, uid, root);
        return new RootNotWritableException("the store root is not writable by this server (uid " + uid + "): "
                + reason + " creating " + rel + "; give uid " + uid + " write access to the store root (a volume or"
                + " bind mount: chown it, or mount it read-write); see the server log and /actuator/health/storeRoot", e);
    }

    static String uid() {
        try {
            return String.valueOf(java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (Exception ex) {
            return System.getProperty("user.name", "?");
        }
    }
}
