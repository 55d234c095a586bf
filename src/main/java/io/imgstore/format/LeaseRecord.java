package io.imgstore.format;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The content of one lease generation: who holds it and until when (epoch milliseconds, the owner's
 * clock), or that its owner released it. Public for implementations of {@link LeaseFiles}, which store
 * it as {@link #toText()} and read it back with {@link #parse}.
 *
 * @param owner     the owner id ({@code host:boot:pid:random}, see {@link StoreLease#owner()})
 * @param expiresAt epoch milliseconds after which another process may take the store over
 * @param released  true once the owner closed the store cleanly (free at once)
 */
public record LeaseRecord(String owner, long expiresAt, boolean released) {

    /** Largest lease file read: records are ~200 bytes; anything larger is not ours. */
    public static final int MAX_BYTES = 4096;

    public LeaseRecord {
        if (owner == null || owner.isBlank() || owner.length() > 512 || owner.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("invalid lease owner");
        }
    }

    /** Free for another writer at {@code nowMillis}: released, or expired. */
    public boolean freeAt(long nowMillis) {
        return released || nowMillis > expiresAt;
    }

    /** Text form ({@link Properties}, so that humans can read it: {@code cat .lease.3}). */
    public String toText() {
        Properties p = new Properties();
        p.setProperty("owner", owner);
        p.setProperty("expires-at-millis", Long.toString(expiresAt));
        p.setProperty("released", Boolean.toString(released));
        StringWriter w = new StringWriter();
        try {
            p.store(w, "imgstore writer lease (see docs/deployment.md, Cluster)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * Parses {@link #toText()}.
     *
     * @throws IllegalArgumentException for anything else (hostile or partly written files)
     */
    public static LeaseRecord parse(String text) {
        if (text.length() > MAX_BYTES) {
            throw new IllegalArgumentException("lease file too large");
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable lease file: " + e.getMessage(), e);
        }
        String owner = p.getProperty("owner");
        String expires = p.getProperty("expires-at-millis");
        String released = p.getProperty("released");
        if (owner == null || expires == null || released == null) {
            throw new IllegalArgumentException("incomplete lease file");
        }
        try {
            return new LeaseRecord(owner, Long.parseLong(expires.strip()), Boolean.parseBoolean(released.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid expiry in lease file", e);
        }
    }
}
