package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.codec.VideoChunkWriter;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.format.internal.DirectoryFrameSource;
import io.imgstore.testing.Barcode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI commands, run in-process through picocli as {@code java -jar imgstore.jar ...} would. */
class CliTest {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = ImgstoreCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path store(int frames) {
        Path dir = tmp.resolve("store");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.PNG, 40, 64, 3).withChunksize(10))) {
            for (int i = 0; i < frames; i++) {
                w.addImage(Barcode.draw(500 + i, 40, 64, 3, PixelType.UINT8), 500 + i, 100.0 + i * 0.5);
            }
        }
        return dir;
    }

    @Test
    void infoPrintsTheSummary() {
        Run r = run("info", store(25).toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("DirectoryImgStore").contains("frame_count:    25").contains("frame_min:      500")
                .contains("chunks:         3 [0, 1, 2]");
    }

    @Test
    void extractWritesPngAndNpyOfTheRightFrame() throws Exception {
        Path s = store(25);
        Path png = tmp.resolve("f.png");
        Run r = run("extract", s.toString(), "--number", "517", "-o", png.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Barcode.decode(ImageCodec.read(png, true))).isEqualTo(517);

        Path npy = tmp.resolve("f.npy");
        assertThat(run("extract", s.toString(), "--index", "3", "-o", npy.toString()).exit()).isZero();
        Image img = DirectoryFrameSource.readNpy(npy);
        assertThat(img.shape()).containsExactly(40, 64, 3);
        assertThat(Barcode.decode(img)).isEqualTo(503);

        assertThat(run("extract", s.toString(), "--number", "9999", "-o", npy.toString(), "--nearest").out())
                .contains("frame_number=524");
    }

    @Test
    void saveConvertsAVideoFileIntoAStore() throws Exception {
        Path video = tmp.resolve("in.avi");
        try (VideoChunkWriter w = VideoChunkWriter.create(video, StoreFormat.MJPEG_AVI, 48, 96, false, PixelType.UINT8,
                VideoEncoderSettings.mjpegDefaults())) {
            for (int i = 0; i < 30; i++) {
                w.write(Barcode.draw(i, 48, 96, 1, PixelType.UINT8));
            }
        }
        Path out = tmp.resolve("converted");
        Run r = run("save", video.toString(), out.toString(), "--format", "png", "--gray", "--chunksize", "8",
                "--start-time", "1000");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("saved 30 frames");
        try (ImgStore s = ImgStore.open(out)) {
            assertThat(s.frameCount()).isEqualTo(30);
            assertThat(s.frameTimeMin()).isEqualTo(1000.0);
            assertThat(s.frameTimeMax()).isCloseTo(1000.0 + 29 / 25.0, org.assertj.core.data.Offset.offset(1e-6));
            for (int i : List.of(29, 0, 17, 8)) {
                assertThat(Barcode.decode(s.getFrame(i).image())).isEqualTo(i);
            }
        }
    }

    @Test
    void timecodesAreMillisecondsSinceTheFirstFrame() {
        Run r = run("timecodes", store(3).toString());
        assertThat(r.out().lines().toList()).containsExactly("# timecode format v2", "0.000", "500.000", "1000.000");
    }

    @Test
    void selfTestPassesEveryFormatOnThisMachine() {
        Run r = run("test", "--frames", "9");
        assertThat(r.out()).contains("all formats OK").doesNotContain("FAIL");
        assertThat(r.out()).contains("avc1/mp4+color").contains("png uint16");
        assertThat(r.exit()).isZero();
    }

    @Test
    void errorsAreOneClearLineAndANonZeroExit() throws Exception {
        Run missing = run("info", tmp.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("imgstore info: ").doesNotContain("\n").doesNotContain("Exception");

        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("metadata.yaml"), "__store: {class: VideoImgStore, version: 9}\n");
        Run bad = run("info", broken.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("version");

        Run usage = run("extract", store(2).toString(), "-o", tmp.resolve("x.png").toString());
        assertThat(usage.exit()).isEqualTo(2);
        Run noFrame = run("extract", tmp.resolve("store").toString(), "-n", "1", "-o", tmp.resolve("x.png").toString());
        assertThat(noFrame.exit()).isEqualTo(1);
        assertThat(noFrame.err()).contains("frame number 1 not in store");
    }
}
