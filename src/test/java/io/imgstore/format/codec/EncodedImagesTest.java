package io.imgstore.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class EncodedImagesTest {

    @TempDir
    Path dir;

    /** A PNG signature and IHDR declaring {@code w x h}, and nothing else. */
    public static byte[] pngClaiming(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(33);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h).put(new byte[] {8, 0, 0, 0, 0});
        return b.array();
    }

    @Test
    void dimensionsOfRealPngAndJpeg() {
        Image gray = Image.blank(48, 64, 1, PixelType.UINT8);
        Image color = Image.blank(30, 20, 3, PixelType.UINT8);
        assertThat(EncodedImages.dimensions(ImageCodec.encode(gray, ".png", 95))).containsExactly(64, 48);
        assertThat(EncodedImages.dimensions(ImageCodec.encode(color, ".png", 95))).containsExactly(20, 30);
        assertThat(EncodedImages.dimensions(ImageCodec.encode(gray, ".jpg", 90))).containsExactly(64, 48);
        assertThat(EncodedImages.dimensions(ImageCodec.encode(color, ".jpg", 90))).containsExactly(20, 30);
        assertThat(EncodedImages.dimensions(pngClaiming(30000, 30000))).containsExactly(30000, 30000);
        assertThat(EncodedImages.dimensions("P6 30000 30000 255\n".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(EncodedImages.dimensions(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})).isNull();
        byte[] jpeg = ImageCodec.encode(gray, ".jpg", 90);
        for (int n = 0; n < 40; n++) { // truncated headers: unknown, never an exception
            EncodedImages.dimensions(Arrays.copyOf(jpeg, n));
        }
    }

    @Test
    void aPngFrameOfAnotherSizeInADirectoryStoreIsRefusedUndecoded() throws IOException {
        Path store = dir.resolve("png");
        try (ImgStoreWriter w = ImgStoreWriter.create(store, StoreSpec.of(StoreFormat.of("png"), 12, 16))) {
            w.addImage(Image.blank(12, 16, 1, PixelType.UINT8), 0, 1.0);
            w.addImage(Image.blank(12, 16, 1, PixelType.UINT8), 1, 2.0);
        }
        Files.write(store.resolve("000000/000001.png"), pngClaiming(30000, 30000));
        try (ImgStore s = ImgStore.open(store)) {
            assertThat(s.getFrameByIndex(0).image().shape()).containsExactly(12, 16);
            assertThatThrownBy(() -> s.getFrameByIndex(1)).isInstanceOf(CorruptStoreException.class)
                    .hasMessageContaining("30000x30000");
        }
    }
}
