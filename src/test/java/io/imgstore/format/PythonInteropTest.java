package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.testing.Barcode;
import io.imgstore.testing.Ci;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The files we write open in the Python stack imgstore uses: numpy reads our {@code .npz} indexes
 * and {@code .npy} frames without pickles, and OpenCV's own frame seeking
 * ({@code CAP_PROP_POS_FRAMES}) lands on the right frame in our videos. Needs Debian's
 * python3-numpy and python3-opencv (installed by .ci/run): skipped locally without them, a
 * failure in CI.
 */
class PythonInteropTest {

    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsNumpyAndOpenCv() throws Exception {
        boolean ok = Files.isExecutable(Path.of(PYTHON)) && run(null, "import numpy, cv2").exitCode == 0;
        Ci.require(ok, "CI must provide python3-numpy and python3-opencv",
                "python3 with numpy and cv2 not available");
    }

    record Result(int exitCode, String output) {
    }

    static Result run(Path script, String code) throws IOException, InterruptedException {
        ProcessBuilder pb = script != null ? new ProcessBuilder(PYTHON, script.toString()) : new ProcessBuilder(PYTHON, "-c", code);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python timed out");
        }
        return new Result(p.exitValue(), out);
    }

    private Result python(String code) throws Exception {
        Path script = tmp.resolve("check.py");
        Files.writeString(script, code);
        return run(script, null);
    }

    @Test
    void numpyReadsOurIndexesAndFramesWithoutPickles() throws Exception {
        Path dir = tmp.resolve("store");
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.NPY, 30, 48).withChunksize(4)
                .withPixelType(PixelType.UINT16).withUserMetadata(Map.of("a", List.of(1, 2))))) {
            for (int i = 0; i < 6; i++) {
                w.addImage(Barcode.draw(100 + i, 30, 48, 1, PixelType.UINT16), 100 + i, 1.5 + i / 3.0);
            }
        }
        Result r = python("""
                import numpy as np, yaml if False else None
                d = np.load('%s/000000/index.npz', allow_pickle=False)
                assert d['frame_number'].dtype == np.int64, d['frame_number'].dtype
                assert d['frame_time'].dtype == np.float64
                assert d['frame_number'].tolist() == [100, 101, 102, 103], d['frame_number']
                assert d['frame_time'].tolist() == [1.5 + i / 3.0 for i in range(4)], d['frame_time']
                for k in d.files:
                    d[k]  # every member loads without pickles
                assert str(d['format']) == 'npy' and int(d['chunksize']) == 4
                f = np.load('%s/000001/000001.npy', allow_pickle=False)
                assert f.dtype == np.uint16 and f.shape == (30, 48), (f.dtype, f.shape)
                print('OK')
                """.formatted(dir, dir).replace(", yaml if False else None", ""));
        assertThat(r.output()).contains("OK");
        assertThat(r.exitCode()).isZero();
    }

    @ParameterizedTest
    @EnumSource(names = {"MJPEG_AVI_", "H264_MKV_", "AVC1_MP4_"}, mode = EnumSource.Mode.INCLUDE, value = VideoCase.class)
    void openCvSeeksToTheRightFrameInOurVideos(VideoCase c) throws Exception {
        Path dir = tmp.resolve("store");
        int h = 96;
        int w = 160;
        try (ImgStoreWriter wr = ImgStoreWriter.create(dir, StoreSpec.of(c.format, h, w, 3).withChunksize(40))) {
            for (int i = 0; i < 40; i++) {
                wr.addImage(Barcode.draw(i, h, w, 3, PixelType.UINT8), i, i);
            }
        }
        Result r = python("""
                import cv2, random
                cap = cv2.VideoCapture('%s/000000%s')
                assert cap.isOpened()
                n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
                assert n == 40, n
                def decode(img):
                    h, w = img.shape[:2]
                    v = 0
                    for b in range(16):
                        x0 = int(b * w / 16 + w / 64) + 1; x1 = int(b * w / 16 + 3 * w / 64)
                        m = img[h // 4: 3 * h // 4, x0:x1, 0].mean()
                        v = (v << 1) | (1 if m > 127 else 0)
                    return v
                order = list(range(40)); random.Random(5).shuffle(order)
                for i in order:
                    cap.set(cv2.CAP_PROP_POS_FRAMES, i)
                    ok, img = cap.read()
                    assert ok, i
                    assert decode(img) == i, (i, decode(img))
                print('OK')
                """.formatted(dir, c.format.extension()));
        assertThat(r.output()).contains("OK");
        assertThat(r.exitCode()).isZero();
    }

    enum VideoCase {
        MJPEG_AVI_(StoreFormat.MJPEG_AVI), H264_MKV_(StoreFormat.H264_MKV), AVC1_MP4_(StoreFormat.AVC1_MP4);

        final StoreFormat format;

        VideoCase(StoreFormat f) {
            this.format = f;
        }
    }
}
