package io.imgstore.testing;

import org.bytedeco.javacpp.Pointer;

/** The tests' one measure of the process's resident memory for native-leak checks. */
public final class NativeMemory {

    private NativeMemory() {
    }

    /**
     * {@link Pointer#physicalBytes()} (the process's resident bytes) after three rounds of
     * {@code System.gc()} and 50 ms, so that freed Java objects' native memory is returned first.
     */
    public static long settledPhysicalBytes() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Pointer.physicalBytes();
    }
}
