package io.imgstore.service.ops;

import io.imgstore.service.catalog.RootStorage;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.ingest.IngestProperties;
import io.imgstore.service.security.SecurityProperties;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/storeRoot}: can the service create stores under its root? Checked by an
 * actual write (a hidden folder created and removed), as permissions alone do not tell: root ignores
 * them, and a read-only mount or file system refuses even root.
 *
 * <p>DOWN when the root is not writable and writes are expected ({@code imgstore.security.read-only}
 * unset): a deployment that cannot store what rigs send is not healthy, so Docker's health check and
 * load balancers see it (reads keep working meanwhile). UP with {@code writable: false} in read-only
 * mode. Details: {@code path}, {@code writable}, {@code uid} and, when not writable, {@code error}.
 *
 * <p>An object-storage root ({@code s3://bucket/prefix}, read-only for now) is checked by a HEAD of
 * the bucket and a listing of one key under the prefix: UP with {@code writable: false} when both
 * answer, DOWN with the error otherwise. Details: {@code path} (the {@code s3://} location),
 * {@code storage: s3}, {@code writable}, {@code read_only}.
 */
@Component("storeRootHealthIndicator")
public class StoreRootHealth implements HealthIndicator {

    /** The result of one write probe. */
    public record Probe(boolean writable, String problem, String uid) {
    }

    private static final long CACHE_NANOS = 2_000_000_000L;

    private final StoreCatalog catalog;
    private final RootStorage storage;
    private final boolean readOnly;
    private volatile Probe last;
    private volatile long lastAt;

    public StoreRootHealth(StoreCatalog catalog, RootStorage storage, IngestProperties ingest,
            SecurityProperties security) {
        this.catalog = catalog;
        this.storage = storage;
        this.readOnly = ingest.readOnly() || security.readOnly();
    }

    @Override
    public Health health() {
        Probe p = probe();
        if (!storage.isLocal()) {
            Health.Builder b = p.problem() == null ? Health.up() : Health.down().withDetail("error", p.problem());
            return b.withDetail("path", storage.location()).withDetail("storage", "s3").withDetail("writable", false)
                    .withDetail("read_only", true).build();
        }
        Health.Builder b = p.writable() || readOnly ? Health.up() : Health.down();
        b.withDetail("path", catalog.root().toString()).withDetail("writable", p.writable()).withDetail("uid", p.uid());
        if (!p.writable()) {
            b.withDetail("error", p.problem());
        }
        if (readOnly) {
            b.withDetail("read_only", true);
        }
        return b.build();
    }

    /** Probes the root (at most every 2 s; the result is cached in between). */
    public Probe probe() {
        long now = System.nanoTime();
        Probe p = last;
        if (p == null || now - lastAt > CACHE_NANOS) {
            p = storage.isLocal() ? probe(catalog.root()) : probeBucket(storage);
            last = p;
            lastAt = now;
        }
        return p;
    }

    static Probe probe(Path root) {
        String uid = uid();
        Path probe = root.resolve(".imgstore-write-probe-" + UUID.randomUUID());
        try {
            Files.createDirectory(probe);
            Files.delete(probe);
            return new Probe(true, null, uid);
        } catch (IOException e) {
            return new Probe(false, describe(e), uid);
        }
    }

    /** HEAD bucket + list one key: the problem is null when the bucket answered. */
    static Probe probeBucket(RootStorage storage) {
        try {
            storage.probeBucket();
            return new Probe(false, null, uid());
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Probe(false, "bucket not readable: " + m, uid());
        }
    }

    /** What went wrong, without the absolute path twice: "permission denied", "read-only file system", ... */
    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** The numeric uid of this process (what a volume's owner must match), or the user name. */
    public static String uid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return String.valueOf(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return System.getProperty("user.name", "?");
        }
    }
}
