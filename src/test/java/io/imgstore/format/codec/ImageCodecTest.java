package io.imgstore.format.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageCodecTest {

    @TempDir
    Path tmp;

    static Image random(int h, int w, int channels, PixelType type, long seed) {
        Random r = new Random(seed);
        byte[] d = new byte[h * w * channels * type.bytes()];
        r.nextBytes(d);
        return new Image(h, w, channels, type, d);
    }

    /** Lossless formats and the depth/channel combinations each can hold (as cv2.imwrite writes them). */
    static Stream<Arguments> lossless() {
        List<Arguments> a = new ArrayList<>();
        for (String ext : List.of(".png", ".tif")) {
            for (PixelType t : PixelType.values()) {
                a.add(Arguments.of(ext, 1, t));
                a.add(Arguments.of(ext, 3, t));
            }
        }
        a.add(Arguments.of(".bmp", 1, PixelType.UINT8));
        a.add(Arguments.of(".bmp", 3, PixelType.UINT8));
        a.add(Arguments.of(".ppm", 3, PixelType.UINT8));
        a.add(Arguments.of(".ppm", 3, PixelType.UINT16));
        a.add(Arguments.of(".pgm", 1, PixelType.UINT8));
        a.add(Arguments.of(".pgm", 1, PixelType.UINT16));
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}ch {2}")
    @MethodSource("lossless")
    void losslessRoundTripIsBitExact(String ext, int channels, PixelType type) {
        Image img = random(37, 53, channels, type, ext.hashCode() + channels);
        byte[] encoded = ImageCodec.encode(img, ext, 95);
        Image back = ImageCodec.decode(encoded, channels == 3);
        assertEquals(img.toString(), back.toString());
        assertTrue(img.sameAs(back), ext + " round trip changed samples");
        // and through files, as cv2.imwrite / cv2.imread
        Path f = tmp.resolve("img" + ext);
        ImageCodec.write(f, img);
        assertTrue(img.sameAs(ImageCodec.read(f, channels == 3)));
    }

    @Test
    void jpegKeepsTheBarcodeAndHonoursQuality() {
        for (boolean color : new boolean[] {false, true}) {
            Image img = Barcode.frame(0xA5C3, 64, 128, color);
            byte[] q95 = ImageCodec.encode(img, "jpg", 95);
            byte[] q30 = ImageCodec.encode(img, ".JPG", 30);
            assertTrue(q30.length < q95.length, "quality 30 should be smaller than 95");
            assertEquals(0xA5C3, Barcode.decodeStrict(ImageCodec.decode(q95, color)));
            assertEquals(0xA5C3, Barcode.decodeStrict(ImageCodec.decode(q30, color)));
        }
    }

    @Test
    void colorAndGrayReadModes() {
        Image bgr = Barcode.frame(0x1234, 32, 64, true);
        byte[] png = ImageCodec.encode(bgr, ".png", 95);
        Image gray = ImageCodec.decode(png, false);
        assertEquals(1, gray.channels());
        // IMREAD_GRAYSCALE of B=G=255,R=0 is bright, of B=G=0,R=255 dark
        assertEquals(0x1234, Barcode.decodeChannel(gray, 0, false, 127.5));
        Image grayPng = ImageCodec.decode(ImageCodec.encode(gray, ".png", 95), true);
        assertEquals(3, grayPng.channels());
        assertEquals(grayPng.sample(5, 5, 0), grayPng.sample(5, 5, 2));
    }

    @Test
    void sixteenBitSurvivesPngAndTif() {
        Image img = Barcode.frame(0xBEEF, 40, 80, false, PixelType.UINT16, 60000);
        for (String ext : List.of(".png", ".tif")) {
            Image back = ImageCodec.decode(ImageCodec.encode(img, ext, 95), false);
            assertEquals(PixelType.UINT16, back.pixelType());
            assertEquals(60000, back.sample(20, 79, 0));
            assertEquals(0xBEEF, Barcode.decodeStrict(back));
        }
    }

    @Test
    void corruptInputGivesAClearError() {
        byte[] garbage = new byte[1000];
        new Random(1).nextBytes(garbage);
        CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> ImageCodec.decode(garbage, true));
        assertTrue(e.getMessage().contains("cannot decode image"), e.getMessage());
        assertThrows(CorruptStoreException.class, () -> ImageCodec.decode(new byte[0], false));
        byte[] png = ImageCodec.encode(random(64, 64, 3, PixelType.UINT8, 3), ".png", 95);
        assertThrows(CorruptStoreException.class, () -> ImageCodec.decode(Arrays.copyOf(png, png.length / 2), true));
        assertThrows(FrameNotFoundException.class, () -> ImageCodec.read(tmp.resolve("missing.png"), true));
        assertThrows(UnsupportedFormatException.class, () -> ImageCodec.encode(random(4, 4, 1, PixelType.UINT8, 1),
                ".xyz", 95));
    }

    @Test
    void readsTheRealPhotograph() {
        Path p = Fixtures.require().resolve("real/graffiti.png");
        Image c = ImageCodec.read(p, true);
        Image g = ImageCodec.read(p, false);
        assertArrayEquals(new int[] {512, 640, 3}, c.shape());
        assertArrayEquals(new int[] {512, 640}, g.shape());
    }

    /** Every frame file of the Python-written DirectoryImgStores decodes to its frame number's barcode. */
    @TestFactory
    Stream<DynamicTest> fixtureImageStores() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fixtures.Store s : Fixtures.generated()) {
            String fmt = s.format().replace("+color", "");
            if (!s.storeClass().equals("DirectoryImgStore") || fmt.equals("npy")) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(s.dir().getFileName() + " [" + s.format() + "]", () -> {
                PixelType type = PixelType.ofDtype(s.dtype());
                for (long[] f : s.frames()) {
                    int chunk = (int) (f[0] / s.chunksize());
                    int pos = (int) (f[0] % s.chunksize());
                    Path file = s.dir().resolve(String.format("%06d/%06d.%s", chunk, pos, fmt));
                    Image img = ImageCodec.read(file, s.color());
                    assertEquals(type, img.pixelType(), file.toString());
                    assertEquals(s.height(), img.height());
                    assertEquals(s.width(), img.width());
                    assertEquals(Fixtures.Store.barcode(f[1]), Barcode.decodeStrict(img), file.toString());
                    if (s.manifest().get("lossless").asBoolean()) {
                        // lossless: exactly 0 or the bright value everywhere
                        int bright = type == PixelType.UINT8 ? 255 : 60000;
                        int v = img.sample(img.height() / 2, img.width() / 2, 0);
                        assertTrue(v == 0 || v == bright, file + " sample " + v);
                    }
                }
            }));
        }
        return tests.stream();
    }
}
