package io.imgstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The barcode decoder that {@code io.imgstore.docker.ImgstoreContainerIT} applies to served frames
 * ({@link Barcode#decode(BufferedImage, int)}), checked on known images.
 */
class BarcodeTest {

    @Test
    void roundTripsTheFramesTheIngestTestWrites() {
        for (long number : new long[] {0, 1, 1000, 32768, 65535, 65537, -5}) {
            byte[] pixels = Barcode.grayPixels(number, 48, 160);
            BufferedImage image = new BufferedImage(160, 48, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, 160, 48, pixels);
            assertThat(Barcode.decode(image, 0)).as("frame %d", number).isEqualTo(Barcode.expected(number));
        }
    }

    /** PNG files of the Python-written fixtures: gray 8-bit, colour (R inverse) and 16-bit, odd widths. */
    @ParameterizedTest
    @ValueSource(strings = {"09_png_gaps", "10_png-color_wrap", "u16_png"})
    void decodesThePythonWrittenFixturePngs(String store) throws Exception {
        Path generated = Fixtures.require().resolve("generated");
        JsonNode manifest = null;
        for (JsonNode s : new ObjectMapper().readTree(generated.resolve("manifest.json").toFile())) {
            if (s.path("path").asString().equals(store)) {
                manifest = s;
            }
        }
        assertThat(manifest).isNotNull();
        int chunksize = manifest.path("chunksize").asInt();
        for (int index : new int[] {0, 1, chunksize, manifest.path("frame_count").asInt() - 1}) {
            Path file = generated.resolve(store).resolve("%06d/%06d.png".formatted(index / chunksize, index % chunksize));
            BufferedImage image = ImageIO.read(file.toFile());
            int expected = Barcode.expected(manifest.path("frames").path(index).path(1).asLong());
            if (manifest.path("image_shape").size() == 3) {
                assertThat(Barcode.decode(image, 1)).as("%s G", file).isEqualTo(expected);
                assertThat(Barcode.decode(image, 2)).as("%s B", file).isEqualTo(expected);
                assertThat(Barcode.decode(image, 0)).as("%s R", file).isEqualTo(~expected & 0xFFFF);
            } else {
                assertThat(Barcode.decode(image, 0)).as("%s", file).isEqualTo(expected);
            }
        }
    }
}
