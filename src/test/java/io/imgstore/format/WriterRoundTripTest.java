package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.internal.MetadataYaml;
import io.imgstore.testing.Barcode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stores we write, in every format, read back frame-exactly in shuffled order, with the files and
 * metadata keys Python imgstore expects.
 */
class WriterRoundTripTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> formats() {
        List<Arguments> out = new ArrayList<>();
        for (StoreFormat f : StoreFormat.SUPPORTED) {
            out.add(Arguments.of(f, 1, PixelType.UINT8));
            if (f != StoreFormat.PGM) {
                out.add(Arguments.of(f, 3, PixelType.UINT8));
            }
            if (f == StoreFormat.PNG || f == StoreFormat.TIF || f == StoreFormat.NPY || f == StoreFormat.PGM) {
                out.add(Arguments.of(f, 1, PixelType.UINT16));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} channels={1} {2}")
    @MethodSource("formats")
    void everyFrameReadsBackExactly(StoreFormat format, int channels, PixelType type) throws Exception {
        int h = 75;   // odd sizes: video stores round down to even
        int w = 133;
        int[] shape = channels == 3 ? new int[] {h, w, 3} : new int[] {h, w};
        Path dir = tmp.resolve("store");
        Map<String, Object> user = Map.of("rig", Map.of("id", 7, "cameras", List.of("top", "side")), "note", "fly \u00fc\u2713");
        List<Long> numbers = new ArrayList<>();
        try (ImgStoreWriter wr = ImgStoreWriter.create(dir, new StoreSpec(format, shape, type, 9, user, null, null))) {
            assertThat(dir.resolve(".lock")).exists();
            long n = -4;
            for (int i = 0; i < 31; i++) {
                n += (i % 5 == 0) ? 3 : 1; // gaps
                numbers.add(n);
                wr.addImage(Barcode.draw(n, h, w, channels, type), n, 1_700_000_000.0 + i * 0.04);
                if (i % 4 == 0) {
                    wr.addExtraData(Map.of("temperature", 20.5 + i, "label", "ok-" + i));
                }
            }
        }
        assertThat(dir.resolve(".lock")).doesNotExist();
        assertPythonLayout(dir, format, shape);

        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(s.frameCount()).isEqualTo(31);
            assertThat(s.chunks()).containsExactly(0, 1, 2, 3);
            assertThat(s.userMetadata()).isEqualTo(user);
            int[] expectShape = format.video() ? new int[] {h & -2, w & -2} : new int[] {h, w};
            assertThat(s.imageShape()[0]).isEqualTo(expectShape[0]);
            assertThat(s.imageShape()[1]).isEqualTo(expectShape[1]);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < numbers.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(3));
            for (int i : order) {
                Frame f = s.getFrame(numbers.get(i));
                assertThat(f.frameIndex()).isEqualTo(i);
                assertThat(Barcode.decode(f.image())).as("frame %d", numbers.get(i)).isEqualTo(Barcode.expected(numbers.get(i)));
                assertThat(f.image().channels()).isEqualTo(channels);
                assertThat(f.image().pixelType()).isEqualTo(type);
                if (format.lossless()) {
                    Image drawn = Barcode.draw(numbers.get(i), h, w, channels, type);
                    assertThat(f.image().sameAs(drawn)).as("lossless pixels of frame %d", numbers.get(i)).isTrue();
                }
            }
            List<Map<String, Object>> extra = s.extraData();
            assertThat(extra).hasSize(8);
            assertThat(extra.get(1)).containsEntry("frame_index", 4).containsEntry("frame_number", numbers.get(4).intValue())
                    .containsEntry("label", "ok-4");
        }
    }

    private static void assertPythonLayout(Path dir, StoreFormat format, int[] shape) {
        @SuppressWarnings("unchecked")
        Map<String, Object> smd = (Map<String, Object>) MetadataYaml.read(dir).get("__store");
        assertThat(smd.keySet()).contains("chunksize", "class", "created_utc", "encoding", "format", "imgdtype",
                "imgshape", "timezone_local", "uuid", "version");
        assertThat(smd.get("version")).isEqualTo(2);
        assertThat(smd.get("class")).isEqualTo(format.storeClass());
        assertThat(String.valueOf(smd.get("created_utc"))).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
        assertThat(String.valueOf(smd.get("uuid"))).matches("[0-9a-f]{32}");
        if (format.video()) {
            assertThat(smd.get("extension")).isEqualTo(format.extension());
            assertThat(dir.resolve("000000" + format.extension())).exists();
            assertThat(dir.resolve("000000.npz")).exists();
            assertThat(dir.resolve("000000.extra.json")).exists();
            assertThat(((List<?>) smd.get("imgshape")).get(0)).isEqualTo(shape[0] & -2);
        } else {
            assertThat(smd).doesNotContainKey("extension");
            assertThat(dir.resolve("000000/000000" + format.extension())).exists();
            assertThat(dir.resolve("000000/index.npz")).exists();
            assertThat(dir.resolve("000000/index.extra.json")).exists();
        }
        try (var files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".journal") || n.endsWith(".tmp"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
