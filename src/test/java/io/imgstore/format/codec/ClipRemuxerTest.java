package io.imgstore.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.ImgStoreException;
import io.imgstore.format.StoreFormat;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.CountingStoreFiles;
import io.imgstore.testing.InMemoryStoreFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream copy of H.264 chunks into one fragmented mp4: the copied clip decodes frame-exactly
 * (barcodes), across chunks too; a run not starting on a keyframe is refused; a failing output
 * stream ends the copy with its exception; native memory is freed by every copy. Chunks that are
 * not local files (in memory here, object storage in the service) are read through the
 * {@code StoreFiles} channel ({@link ChannelAvio}) and copied as exactly.
 */
class ClipRemuxerTest {

    static final int H = 96;
    static final int W = 160;

    @TempDir
    Path tmp;

    Path a;
    Path b;

    @BeforeEach
    void chunks() throws IOException {
        // two chunks of 30 frames, keyframes every 10: barcodes 1000..1029 and 2000..2029
        a = VideoRoundTripTest.writeBarcodeVideo(Files.createDirectory(tmp.resolve("a")), StoreFormat.AVC1_MP4, true,
                30, H, W, VideoEncoderSettings.defaults().withKeyframeInterval(10), 1000);
        b = VideoRoundTripTest.writeBarcodeVideo(Files.createDirectory(tmp.resolve("b")), StoreFormat.AVC1_MP4, true,
                30, H, W, VideoEncoderSettings.defaults().withKeyframeInterval(10), 2000);
    }

    private Path copy(List<ClipRemuxer.Run> runs, String name) throws IOException {
        return copy(io.imgstore.format.storage.StoreFiles.LOCAL, runs, name);
    }

    private Path copy(io.imgstore.format.storage.StoreFiles files, List<ClipRemuxer.Run> runs, String name)
            throws IOException {
        ClipRemuxer.Decision d = ClipRemuxer.plan(files, runs);
        assertThat(d.plan()).as(d.reason()).isPresent();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.plan().get().copy(25, out);
        byte[] mp4 = out.toByteArray();
        assertThat(new String(mp4, 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(new String(mp4, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("mvex").contains("moof");
        Path f = tmp.resolve(name);
        Files.write(f, mp4);
        return f;
    }

    @Test
    void aRunStartingOnAKeyframeInOneChunkDecodesFrameExactly() throws IOException {
        Path f = copy(List.of(new ClipRemuxer.Run(a, 10, 15)), "one.mp4");
        try (VideoChunkReader r = VideoChunkReader.open(f, true)) {
            assertThat(r.frameCount()).isEqualTo(15);
            for (int k = 0; k < 15; k++) {
                assertThat(Barcode.decodeStrict(r.read(k))).as("frame %d", k).isEqualTo(1010 + k);
            }
        }
    }

    @Test
    void runsAcrossChunksDecodeFrameExactlyWithContinuousTime() throws IOException {
        Path f = copy(List.of(new ClipRemuxer.Run(a, 20, 10), new ClipRemuxer.Run(b, 0, 25)), "two.mp4");
        try (VideoChunkReader r = VideoChunkReader.open(f, true)) {
            assertThat(r.frameCount()).isEqualTo(35);
            for (int k = 0; k < 35; k++) { // read backwards too: seeking needs the keyframes right
                int i = k % 2 == 0 ? k : 34 - k;
                assertThat(Barcode.decodeStrict(r.read(i))).as("frame %d", i).isEqualTo(i < 10 ? 1020 + i : 2000 + i - 10);
            }
        }
    }

    @Test
    void aRunNotStartingOnAKeyframeOrLongerThanTheChunkIsNotCopyable() {
        ClipRemuxer.Decision d = ClipRemuxer.plan(List.of(new ClipRemuxer.Run(a, 3, 5)));
        assertThat(d.plan()).isEmpty();
        assertThat(d.reason()).contains("not a keyframe");
        d = ClipRemuxer.plan(List.of(new ClipRemuxer.Run(a, 0, 10), new ClipRemuxer.Run(b, 5, 5)));
        assertThat(d.plan()).isEmpty();
        d = ClipRemuxer.plan(List.of(new ClipRemuxer.Run(a, 20, 11)));
        assertThat(d.plan()).isEmpty();
        assertThat(d.reason()).contains("only 30 frames");
    }

    @Test
    void aFailingClientEndsTheCopyWithItsException() {
        ClipRemuxer.Plan plan = ClipRemuxer.plan(List.of(new ClipRemuxer.Run(a, 0, 30))).plan().orElseThrow();
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int x) throws IOException {
                throw new IOException("client gone");
            }

            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
                throw new IOException("client gone");
            }
        };
        assertThatThrownBy(() -> plan.copy(25, broken)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("client gone");
        assertThat(ClipRemuxer.openSinks()).isZero();
    }

    @Test
    void copiesFreeTheirNativeMemory() throws IOException {
        List<ClipRemuxer.Run> runs = List.of(new ClipRemuxer.Run(a, 10, 20), new ClipRemuxer.Run(b, 0, 30));
        ClipRemuxer.Plan plan = ClipRemuxer.plan(runs).plan().orElseThrow();
        for (int i = 0; i < 20; i++) {
            plan.copy(25, OutputStream.nullOutputStream());
        }
        long javacppBefore = Pointer.totalBytes();
        long physBefore = Pointer.physicalBytes();
        for (int i = 0; i < 300; i++) {
            ClipRemuxer.plan(runs).plan().orElseThrow().copy(25, OutputStream.nullOutputStream());
        }
        long javacppAfter = Pointer.totalBytes();
        long physAfter = Pointer.physicalBytes();
        System.out.printf("300 plans and copies: RSS %+d kB, JavaCPP bytes %+d%n", (physAfter - physBefore) / 1024,
                javacppAfter - javacppBefore);
        // a leaked muxer, I/O buffer or demuxer per copy would be ~100 kB+ each: 30+ MB over 300
        assertThat(physAfter - physBefore).isLessThan(100L * 1024 * 1024);
        assertThat(javacppAfter - javacppBefore).isLessThan(1024 * 1024);
        assertThat(ClipRemuxer.openSinks()).isZero();
    }

    @Test
    void chunksThatAreNotLocalFilesAreReadThroughTheChannelAndCopiedFrameExactly() throws IOException {
        InMemoryStoreFiles memory = new InMemoryStoreFiles();
        Path ma = memory.load(a.getParent(), "a").resolve(a.getFileName().toString());
        Path mb = memory.load(b.getParent(), "b").resolve(b.getFileName().toString());
        assertThat(Files.exists(ma)).as("in-memory chunks are no files on disk").isFalse();
        assertThat(memory.localFile(ma)).isEmpty();
        CountingStoreFiles counting = new CountingStoreFiles(memory);
        long liveBefore = ChannelAvio.live();

        ClipRemuxer.Decision d = ClipRemuxer.plan(counting,
                List.of(new ClipRemuxer.Run(ma, 20, 10), new ClipRemuxer.Run(mb, 0, 25)));
        assertThat(d.plan()).as(d.reason()).isPresent();
        assertThat(counting.channelsOpened()).as("plan: one channel per chunk").isEqualTo(2);
        assertThat(counting.channelsOpen()).isZero();
        counting.reset();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.plan().get().copy(25, out);
        assertThat(counting.channelsOpened()).as("copy: one channel per chunk").isEqualTo(2);
        assertThat(counting.channelsOpen()).isZero();
        assertThat(ChannelAvio.live()).as("AVIO contexts still open").isEqualTo(liveBefore);
        // the packets of 35 frames came through the channels: at least the bytes of the clip's samples
        long chunkBytes = Files.size(a) + Files.size(b);
        assertThat(counting.bytesRead()).isGreaterThan(0).isLessThanOrEqualTo(4 * chunkBytes);
        Path f = tmp.resolve("memory.mp4");
        Files.write(f, out.toByteArray());
        try (VideoChunkReader r = VideoChunkReader.open(f, true)) {
            assertThat(r.frameCount()).isEqualTo(35);
            for (int k = 0; k < 35; k++) {
                assertThat(Barcode.decodeStrict(r.read(k))).as("frame %d", k).isEqualTo(k < 10 ? 1020 + k : 2000 + k - 10);
            }
        }
        // the same clip read from the local files is the same bytes
        byte[] local = Files.readAllBytes(copy(List.of(new ClipRemuxer.Run(a, 20, 10), new ClipRemuxer.Run(b, 0, 25)),
                "local.mp4"));
        assertThat(out.toByteArray()).isEqualTo(local);
    }

    @Test
    void aChunkThatIsNoVideoOrAbsentFailsThroughTheChannelAndFreesEverything() throws IOException {
        Path junkDir = Files.createDirectory(tmp.resolve("junk"));
        Files.write(junkDir.resolve("000000.mp4"), new byte[200_000]);
        InMemoryStoreFiles memory = new InMemoryStoreFiles();
        Path junk = memory.load(junkDir, "junk").resolve("000000.mp4");
        Path ma = memory.load(a.getParent(), "a").resolve(a.getFileName().toString());
        CountingStoreFiles counting = new CountingStoreFiles(memory);
        long liveBefore = ChannelAvio.live();
        assertThatThrownBy(() -> ClipRemuxer.plan(counting, List.of(new ClipRemuxer.Run(junk, 0, 1))))
                .isInstanceOf(ImgStoreException.class);
        assertThatThrownBy(() -> ClipRemuxer.plan(counting,
                List.of(new ClipRemuxer.Run(InMemoryStoreFiles.ROOT.resolve("absent.mp4"), 0, 1))))
                .isInstanceOf(ImgStoreException.class);
        // a junk chunk after a good one: the plan fails at the junk, the good chunk's input is freed
        assertThatThrownBy(() -> ClipRemuxer.plan(counting,
                List.of(new ClipRemuxer.Run(ma, 0, 10), new ClipRemuxer.Run(junk, 0, 1))))
                .isInstanceOf(ImgStoreException.class);
        // a client gone during a copy through the channel: the muxer, inputs and channels are freed
        ClipRemuxer.Plan plan = ClipRemuxer.plan(counting, List.of(new ClipRemuxer.Run(ma, 0, 30))).plan()
                .orElseThrow();
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int x) throws IOException {
                throw new IOException("client gone");
            }
        };
        assertThatThrownBy(() -> plan.copy(25, broken)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("client gone");
        // junk; absent (no channel); ma and junk; ma in the plan and in the copy
        assertThat(counting.channelsOpened()).isEqualTo(5);
        assertThat(ChannelAvio.live()).isEqualTo(liveBefore);
        assertThat(counting.channelsOpen()).isZero();
        assertThat(ClipRemuxer.openSinks()).isZero();
    }
}
