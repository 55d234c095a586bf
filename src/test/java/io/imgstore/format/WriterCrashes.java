package io.imgstore.format;

/**
 * Test seam: what {@code kill -9} leaves of a writer (files as they are, {@code .lock} still there),
 * through {@link ImgStoreWriter}'s package-visible {@code abandon()}, for tests outside this package.
 */
public final class WriterCrashes {

    private WriterCrashes() {
    }

    public static void abandon(ImgStoreWriter writer) {
        writer.abandon();
    }
}
