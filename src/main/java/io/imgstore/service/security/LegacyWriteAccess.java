package io.imgstore.service.security;

/**
 * The older, ingest-side access settings ({@code imgstore.ingest.token}, {@code read-only},
 * {@code protect-reads}) that the security chain honours besides {@code imgstore.security.*}. The
 * ingest feature's properties implement it, so security depends on no feature package.
 */
public interface LegacyWriteAccess {

    /** Nothing set: no token, writes allowed, reads open. */
    LegacyWriteAccess NONE = new LegacyWriteAccess() {
        @Override
        public String token() {
            return null;
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public boolean protectReads() {
            return false;
        }
    };

    /** Bearer token every write must carry; null for none. */
    String token();

    boolean readOnly();

    boolean protectReads();
}
