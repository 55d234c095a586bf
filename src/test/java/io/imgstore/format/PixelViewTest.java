package io.imgstore.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lent pixels with padded rows come out as the unpadded image, whatever the scratch size. */
class PixelViewTest {

    private static final int H = 7;
    private static final int W = 5;

    /** A direct buffer of {@code H} BGR rows of {@code W} pixels, {@code stride} bytes apart, padding 0xEE. */
    private static ByteBuffer padded(byte[] pixels, int stride) {
        ByteBuffer b = ByteBuffer.allocateDirect(stride * (H - 1) + W * 3);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) 0xEE);
        }
        for (int y = 0; y < H; y++) {
            b.put(y * stride, pixels, y * W * 3, W * 3);
        }
        return b;
    }

    @Test
    void paddedRowsAreCopiedAndWrittenWithoutPadding() throws IOException {
        byte[] pixels = new byte[H * W * 3];
        new Random(3).nextBytes(pixels);
        PixelView v = new PixelView(H, W, 3, PixelType.UINT8, padded(pixels, 64), 64);
        assertEquals(W * 3, v.rowBytes());
        assertEquals(pixels.length, v.byteCount());
        assertArrayEquals(new int[] {H, W, 3}, v.shape());
        assertArrayEquals(pixels, v.toImage().data());
        byte[] into = new byte[pixels.length + 4];
        v.copyTo(into, 4);
        assertArrayEquals(pixels, java.util.Arrays.copyOfRange(into, 4, into.length));
        for (int scratch : new int[] {1, 7, W * 3, W * 3 + 1, 1000}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            v.writeTo(out, new byte[scratch]);
            assertArrayEquals(pixels, out.toByteArray(), "scratch of " + scratch);
        }
        assertTrue(v.buffer().isReadOnly());
    }

    @Test
    void imageViewIsWrittenFromItsOwnArray() throws IOException {
        Image img = new Image(2, 3, 1, PixelType.UINT16, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        PixelView v = PixelView.of(img);
        assertEquals(6, v.rowBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        v.writeTo(out, new byte[0]); // the array goes out as it is: no scratch needed
        assertArrayEquals(img.data(), out.toByteArray());
        assertTrue(img.sameAs(v.toImage()));
    }

    @Test
    void aBufferTooShortForTheRowsIsRefused() {
        ByteBuffer b = ByteBuffer.allocate(64 * (H - 1) + W * 3 - 1);
        assertThrows(InvalidImageException.class, () -> new PixelView(H, W, 3, PixelType.UINT8, b, 64));
        assertThrows(InvalidImageException.class, () -> new PixelView(H, W, 3, PixelType.UINT8,
                ByteBuffer.allocate(1000), W * 3 - 1));
        PixelView v = new PixelView(H, W, 3, PixelType.UINT8, ByteBuffer.allocate(H * W * 3), W * 3);
        assertThrows(IndexOutOfBoundsException.class, () -> v.copyTo(new byte[H * W * 3], 1));
    }
}
