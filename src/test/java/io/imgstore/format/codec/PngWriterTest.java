package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngWriterTest {

    /** noise: uniform 0..255; mild: a flat 128 with noise of +-2; flat: a constant with a bar. */
    static Image content(String kind, int h, int w, int c, long seed) {
        Random rnd = new Random(seed);
        byte[] d = new byte[h * w * c];
        for (int i = 0; i < d.length; i++) {
            int x = (i / c) % w;
            d[i] = (byte) switch (kind) {
                case "noise" -> rnd.nextInt(256);
                case "mild" -> 128 + rnd.nextInt(5) - 2;
                default -> x < w / 3 ? 250 : 20 + (i % c) * 40;
            };
        }
        return new Image(h, w, c, PixelType.UINT8, d);
    }

    @ParameterizedTest
    @CsvSource({"noise,STORED", "mild,HUFFMAN", "flat,FAST"})
    void effortFollowsTheContentAndEveryEffortDecodesToTheSamePixels(String kind, PngWriter.Effort expected) {
        for (int c : new int[] {1, 3}) {
            Image img = content(kind, 96, 130, c, 7);
            assertEquals(expected, PngWriter.effortFor(img), kind + " c=" + c);
            for (PngWriter.Effort e : PngWriter.Effort.values()) {
                byte[] png = PngWriter.encode(img, e);
                Image back = ImageCodec.decode(png, c == 3); // OpenCV/libpng: checks every CRC
                assertEquals(c, back.channels());
                assertArrayEquals(img.data(), back.data(), kind + " " + e + " c=" + c);
                assertArrayEquals(img.data(), viaImageIo(png, c), "ImageIO " + kind + " " + e + " c=" + c);
            }
        }
    }

    @Test
    void compressesWhereItPaysAndStoresNoise() {
        Image flat = content("flat", 240, 320, 3, 1);
        Image noise = content("noise", 240, 320, 3, 1);
        assertTrue(PngWriter.encode(flat).length < flat.data().length / 20, "flat frames shrink");
        int stored = PngWriter.encode(noise).length;
        assertTrue(stored > noise.data().length && stored < noise.data().length * 1.01, "noise stored: " + stored);
        Image mild = content("mild", 240, 320, 1, 1);
        assertTrue(PngWriter.encode(mild).length < mild.data().length * 0.5, "mild noise compresses");
    }

    @Test
    void oddSizesAndSingleRows() {
        // 1x65534 gray: exactly one full stored block; 2x21845x3: two; 300x400x3: several
        for (int[] hw : new int[][] {{1, 1}, {1, 17}, {7, 3}, {33, 1}, {65, 31}, {1, 65534}, {2, 21845}, {300, 400}}) {
            for (int c : new int[] {1, 3}) {
                for (String kind : new String[] {"noise", "flat"}) {
                    Image img = content(kind, hw[0], hw[1], c, hw[0] * 31L + hw[1]);
                    Image back = ImageCodec.decode(PngWriter.encode(img), c == 3);
                    assertArrayEquals(img.data(), back.data(), hw[0] + "x" + hw[1] + "x" + c + " " + kind);
                }
            }
        }
    }

    @Test
    void refusesWhatItDoesNotWrite() {
        Image sixteen = new Image(2, 2, 1, PixelType.UINT16, new byte[8]);
        assertFalse(PngWriter.supports(sixteen));
        assertThrows(IllegalArgumentException.class, () -> PngWriter.encode(sixteen));
    }

    /** Decodes with the JDK's PNG reader (independent of OpenCV) into gray or BGR bytes. */
    private static byte[] viaImageIo(byte[] png, int c) {
        try {
            BufferedImage b = ImageIO.read(new ByteArrayInputStream(png));
            byte[] out = new byte[b.getWidth() * b.getHeight() * c];
            for (int y = 0; y < b.getHeight(); y++) {
                for (int x = 0; x < b.getWidth(); x++) {
                    int i = (y * b.getWidth() + x) * c;
                    if (c == 1) {
                        out[i] = (byte) b.getRaster().getSample(x, y, 0);
                    } else {
                        out[i] = (byte) b.getRaster().getSample(x, y, 2);
                        out[i + 1] = (byte) b.getRaster().getSample(x, y, 1);
                        out[i + 2] = (byte) b.getRaster().getSample(x, y, 0);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
