package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.internal.DirectoryFrameSource;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Ci;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code info} (text and JSON) and {@code extract} with ranges, folders, patterns and {@code --every}. */
class InfoAndExtractTest {

    static final double T0 = 1700300166.2857847;
    static final Pattern EXPONENT = Pattern.compile("\\d[eE][+-]?\\d");

    @TempDir
    Path tmp;

    /** Frames 500..524 without 510 and 511, times T0 + i/25, in Berlin time, with nested user metadata. */
    private Path store() throws Exception {
        Path dir = tmp.resolve("store");
        Map<String, Object> rig = new LinkedHashMap<>();
        rig.put("camera", "c1");
        rig.put("fps", 25);
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("rig", rig);
        user.put("notes", "test run");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.PNG, 40, 64, 3).withChunksize(10)
                .withUserMetadata(user))) {
            int i = 0;
            for (int n = 500; n <= 524; n++) {
                if (n != 510 && n != 511) {
                    w.addImage(Barcode.draw(n, 40, 64, 3, PixelType.UINT8), n, T0 + i++ / 25.0);
                }
            }
        }
        Path md = dir.resolve("metadata.yaml");
        String yaml = Files.readString(md);
        assertThat(yaml).contains("timezone_local: ");
        Files.writeString(md, yaml.replaceAll("timezone_local: .*", "timezone_local: Europe/Berlin"));
        return dir;
    }

    @Test
    void infoPrintsDatesInTheStoresZoneRawSecondsAndYaml() throws Exception {
        CliTest.Run r = CliTest.run("info", store().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("frame_count:    23")
                .contains("frame_time_min: 2023-11-18T10:36:06.2857847+01:00 (1700300166.2857847)")
                .contains("timezone:       Europe/Berlin")
                .contains("user_metadata:\n").contains("\n  rig:\n    camera: c1\n    fps: 25\n").contains("\n  notes: test run\n");
        assertThat(r.out()).doesNotContain("{rig=");
        // uuid and path may hold "1e5"; the numbers may not
        assertThat(r.out().lines().filter(l -> l.startsWith("frame_time") || l.startsWith("duration")))
                .hasSize(3).noneMatch(l -> EXPONENT.matcher(l).find());
    }

    @Test
    void infoJsonHasTheServiceFieldsAndTheLibrarysValues() throws Exception {
        Path dir = store();
        CliTest.Run r = CliTest.run("info", "--json", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\"frame_time_min\" : 1700300166\\.2857847,")
                .containsPattern("\"frame_time_max\" : [0-9]+\\.[0-9]+,");
        JsonNode j = JsonMapper.builder().build().readTree(r.out());
        assertThat(j.propertyNames()).containsExactly("path", "class", "format", "encoding", "imgdtype", "image_shape",
                "imgshape", "chunksize", "frame_count", "frame_min", "frame_max", "frame_time_min", "frame_time_max",
                "chunks", "uuid", "created_utc", "timezone_local", "user_metadata", "has_extra_data", "lossless");
        try (ImgStore s = ImgStore.open(dir)) {
            assertThat(j.get("class").asString()).isEqualTo(s.storeClass());
            assertThat(j.get("format").asString()).isEqualTo("png");
            assertThat(j.get("frame_count").asInt()).isEqualTo(s.frameCount());
            assertThat(j.get("frame_min").asLong()).isEqualTo(500);
            assertThat(j.get("frame_max").asLong()).isEqualTo(524);
            assertThat(j.get("frame_time_min").asDouble()).isEqualTo(s.frameTimeMin());
            assertThat(j.get("frame_time_max").asDouble()).isEqualTo(s.frameTimeMax());
            assertThat(j.get("chunks").size()).isEqualTo(s.chunks().length);
            assertThat(j.get("imgshape").toString()).isEqualTo("[40,64,3]");
            assertThat(j.get("uuid").asString()).isEqualTo(s.uuid());
            assertThat(j.get("timezone_local").asString()).isEqualTo("Europe/Berlin");
            assertThat(j.get("created_utc").asString()).isEqualTo(s.createdUtc().toString());
            assertThat(j.get("user_metadata").get("rig").get("fps").asInt()).isEqualTo(25);
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void extractARangeOfFrameNumbersToAFolderReportsMissingFrames() throws Exception {
        Path out = tmp.resolve("frames");
        CliTest.Run r = CliTest.run("extract", store().toString(), "-n", "505..515", "-o", out + "/");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("2 frame number(s) of 505..515 not in store: 510..511");
        assertThat(r.out()).contains("extracted 9 frames (frame_number 505..515");
        List<Path> files = files(out);
        assertThat(files.stream().map(p -> p.getFileName().toString())).containsExactly("000505.png", "000506.png",
                "000507.png", "000508.png", "000509.png", "000512.png", "000513.png", "000514.png", "000515.png");
        for (Path f : files) {
            int n = Integer.parseInt(f.getFileName().toString().substring(0, 6));
            assertThat(Barcode.decode(ImageCodec.read(f, true))).as(f.toString()).isEqualTo(n);
        }
    }

    @Test
    void extractEveryThirdIndexToAPattern() throws Exception {
        Path out = tmp.resolve("p");
        CliTest.Run r = CliTest.run("extract", store().toString(), "-i", "0..9", "--every", "3", "-o",
                out + "/f_%04d.jpg", "--quiet");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        // indexes 0, 3, 6, 9 hold frame numbers 500, 503, 506, 509
        assertThat(files(out).stream().map(p -> p.getFileName().toString()))
                .containsExactly("f_0500.jpg", "f_0503.jpg", "f_0506.jpg", "f_0509.jpg");
        assertThat(Barcode.decode(ImageCodec.read(out.resolve("f_0506.jpg"), true))).isEqualTo(506);
    }

    @Test
    void rangesNeedAFolderOrPatternAndEmptyRangesFail() throws Exception {
        Path s = store();
        CliTest.Run toFile = CliTest.run("extract", s.toString(), "-n", "500..503", "-o", tmp.resolve("one.png").toString());
        assertThat(toFile.exit()).isEqualTo(2);
        assertThat(toFile.err()).contains("4 frames selected");
        CliTest.Run none = CliTest.run("extract", s.toString(), "-n", "510..511", "-o", tmp.resolve("d") + "/");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("not in store").contains("no frames");
        assertThat(CliTest.run("extract", s.toString(), "-n", "500", "-o", tmp.resolve("bad_%q.png").toString()).exit())
                .isEqualTo(2);
        assertThat(CliTest.run("extract", s.toString(), "--every", "0", "-o", tmp.resolve("d") + "/").exit()).isEqualTo(2);
    }

    @Test
    void npyFramesLoadInNumpy() throws Exception {
        Path out = tmp.resolve("npy");
        CliTest.Run r = CliTest.run("extract", store().toString(), "-n", "520..", "--type", "npy", "-o", out + "/");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(files(out)).hasSize(5);
        Image img = DirectoryFrameSource.readNpy(out.resolve("000522.npy"));
        assertThat(img.shape()).containsExactly(40, 64, 3);
        assertThat(Barcode.decode(img)).isEqualTo(522);

        Path python = Path.of("/usr/bin/python3");
        boolean numpy = Files.isExecutable(python) && python(python, "import numpy").exitValue() == 0;
        Ci.require(numpy, "CI must provide python3-numpy", "python3 with numpy not available");
        Process p = python(python, "import numpy as np, glob\n"
                + "fs = sorted(glob.glob('" + out + "/*.npy'))\n"
                + "assert len(fs) == 5, fs\n"
                + "for f in fs:\n"
                + "    a = np.load(f, allow_pickle=False)\n"
                + "    assert a.shape == (40, 64, 3) and a.dtype == np.uint8, (a.shape, a.dtype)\n"
                + "print('ok')\n");
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text.strip()).isEqualTo("ok");
    }

    private static Process python(Path python, String code) throws Exception {
        Process p = new ProcessBuilder(python.toString(), "-c", code).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python timed out");
        }
        return p;
    }
}
