package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.format.Image;
import io.imgstore.format.InvalidImageException;
import io.imgstore.format.PixelType;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageOpsTest {

    @Test
    void grayAndBgr() {
        Image bgr = Image.blank(2, 2, 3, PixelType.UINT8);
        bgr.setSample(0, 0, 0, 200); // B
        bgr.setSample(0, 0, 1, 100); // G
        bgr.setSample(0, 0, 2, 30);  // R
        Image gray = ImageOps.toGray(bgr);
        assertEquals(1, gray.channels());
        assertEquals(Math.round(0.114 * 200 + 0.587 * 100 + 0.299 * 30), gray.sample(0, 0, 0), 1.0);
        assertSame(gray, ImageOps.toGray(gray));
        Image back = ImageOps.toBgr(gray);
        assertEquals(3, back.channels());
        assertEquals(gray.sample(0, 0, 0), back.sample(0, 0, 0));
        assertEquals(gray.sample(0, 0, 0), back.sample(0, 0, 2));
        assertSame(back, ImageOps.toBgr(back));
    }

    @Test
    void swapRedBlue() {
        for (PixelType t : PixelType.values()) {
            Image img = ImageCodecTest.random(5, 7, 3, t, 11);
            Image swapped = ImageOps.swapRedBlue(img);
            assertEquals(img.sample(2, 3, 0), swapped.sample(2, 3, 2));
            assertEquals(img.sample(2, 3, 1), swapped.sample(2, 3, 1));
            assertEquals(img.sample(2, 3, 2), swapped.sample(2, 3, 0));
            assertTrue(img.sameAs(ImageOps.swapRedBlue(swapped)));
        }
        Image gray = Image.blank(2, 2, 1, PixelType.UINT8);
        assertSame(gray, ImageOps.swapRedBlue(gray));
    }

    @Test
    void resizeWithAreaInterpolation() {
        Image img = Image.blank(4, 4, 1, PixelType.UINT16);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img.setSample(y, x, 0, (y < 2 && x < 2) ? 40000 : 0);
            }
        }
        Image small = ImageOps.resize(img, 2, 2);
        assertEquals(PixelType.UINT16, small.pixelType());
        assertEquals(40000, small.sample(0, 0, 0));
        assertEquals(0, small.sample(1, 1, 0));
        Image wide = ImageOps.resize(Barcode.frame(0x0F0F, 32, 64, true), 32, 16);
        assertEquals(3, wide.channels());
        assertEquals(32, wide.width());
        assertEquals(0x0F0F, Barcode.decodeStrict(wide));
    }

    @Test
    void encodingNames() {
        assertTrue(ImageOps.supportsEncoding(null));
        assertTrue(ImageOps.supportsEncoding(""));
        assertTrue(ImageOps.supportsEncoding("cv_bayerbg"));
        assertTrue(ImageOps.supportsEncoding("cv_yuv_nv12"));
        assertFalse(ImageOps.supportsEncoding("bayer_bg"));
        Image img = Image.blank(4, 4, 1, PixelType.UINT8);
        assertSame(img, ImageOps.decodeEncoding(img, null));
        assertSame(img, ImageOps.decodeEncoding(img, ""));
        assertThrows(UnsupportedFormatException.class, () -> ImageOps.decodeEncoding(img, "cv_nonsense"));
        assertThrows(InvalidImageException.class,
                () -> ImageOps.decodeEncoding(Image.blank(4, 4, 3, PixelType.UINT8), "cv_bayerbg"));
    }

    /**
     * OpenCV names a Bayer pattern after the 2x2 block starting at (1,1): {@code BayerBG} is the
     * sensor layout R G / G B at the top left (RGGB), and so on.
     */
    @ParameterizedTest(name = "{0} = top-left {1}")
    @CsvSource({"cv_bayerbg,RGGB", "cv_bayergb,GRBG", "cv_bayergr,GBRG", "cv_bayerrg,BGGR",
        "cv_bayerrggb,RGGB", "cv_bayerbggr,BGGR"})
    void bayerDemosaicsAUniformColour(String encoding, String topLeft) {
        int b = 200;
        int g = 100;
        int r = 30;
        for (PixelType t : PixelType.values()) {
            int scale = t == PixelType.UINT8 ? 1 : 200;
            Image raw = mosaic(16, 16, topLeft, b * scale, g * scale, r * scale, t);
            Image bgr = ImageOps.decodeEncoding(raw, encoding);
            assertEquals(3, bgr.channels());
            assertEquals(t, bgr.pixelType());
            for (int y = 2; y < 14; y++) {
                for (int x = 2; x < 14; x++) {
                    assertEquals(b * scale, bgr.sample(y, x, 0), scale, "B at " + y + "," + x);
                    assertEquals(g * scale, bgr.sample(y, x, 1), scale, "G at " + y + "," + x);
                    assertEquals(r * scale, bgr.sample(y, x, 2), scale, "R at " + y + "," + x);
                }
            }
        }
    }

    private static Image mosaic(int h, int w, String pattern, int b, int g, int r, PixelType t) {
        Image img = Image.blank(h, w, 1, t);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                char c = pattern.charAt((y % 2) * 2 + (x % 2));
                img.setSample(y, x, 0, c == 'B' ? b : c == 'G' ? g : r);
            }
        }
        return img;
    }

    @Test
    void nv12GrayDecodesToGray() {
        int h = 8;
        int w = 8;
        Image nv12 = Image.blank(h * 3 / 2, w, 1, PixelType.UINT8);
        for (int y = 0; y < h * 3 / 2; y++) {
            for (int x = 0; x < w; x++) {
                nv12.setSample(y, x, 0, y < h ? 120 : 128);
            }
        }
        Image bgr = ImageOps.decodeEncoding(nv12, "cv_yuv_nv12");
        assertEquals(h, bgr.height());
        assertEquals(3, bgr.channels());
        int v = bgr.sample(4, 4, 0);
        assertEquals(v, bgr.sample(4, 4, 1), 1);
        assertEquals(v, bgr.sample(4, 4, 2), 1);
    }

    /** The Python-written raw Bayer store (encoding cv_bayerbg) reads as BGR frames with the right barcode. */
    @Test
    void bayerFixtureStore() throws IOException {
        Fixtures.Store s = Fixtures.generated().stream().filter(x -> x.dir().getFileName().toString()
                .equals("bayer_npy")).findFirst().orElseThrow();
        assertEquals("cv_bayerbg", s.encoding());
        int n = 0;
        for (long[] f : s.frames()) {
            Path file = s.dir().resolve(String.format("%06d/%06d.npy", f[0] / s.chunksize(), f[0] % s.chunksize()));
            Image raw = readNpy(file);
            Image bgr = ImageOps.decodeEncoding(raw, s.encoding());
            assertEquals(s.height(), bgr.height());
            assertEquals(s.width(), bgr.width());
            assertEquals(3, bgr.channels());
            // the raw frames are the gray barcode itself taken as a sensor mosaic (every CFA site
            // holds the band value), so all three demosaicked channels carry the bands
            int expected = Fixtures.Store.barcode(f[1]);
            for (int ch = 0; ch < 3; ch++) {
                assertEquals(expected, Barcode.decodeChannel(bgr, ch, false, 127.5), file + " channel " + ch);
            }
            n++;
        }
        assertTrue(n > 0);
    }

    /** Minimal .npy reader for C-order uint8/uint16 arrays (tests only). */
    static Image readNpy(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int major = b[6];
        int headerLen = major == 1 ? (b[8] & 0xff) | ((b[9] & 0xff) << 8)
                : (b[8] & 0xff) | ((b[9] & 0xff) << 8) | ((b[10] & 0xff) << 16) | ((b[11] & 0xff) << 24);
        int start = major == 1 ? 10 : 12;
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher descr = Pattern.compile("'descr':\\s*'([^']+)'").matcher(header);
        Matcher shape = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        assertTrue(descr.find() && shape.find(), header);
        assertFalse(header.contains("'fortran_order': True"), header);
        PixelType t = PixelType.ofDtype(descr.group(1));
        String[] dims = shape.group(1).replace(" ", "").split(",");
        int h = Integer.parseInt(dims[0]);
        int w = Integer.parseInt(dims[1]);
        int c = dims.length > 2 && !dims[2].isEmpty() ? Integer.parseInt(dims[2]) : 1;
        int off = start + headerLen;
        byte[] data = java.util.Arrays.copyOfRange(b, off, off + h * w * c * t.bytes());
        return new Image(h, w, c, t, data);
    }
}
