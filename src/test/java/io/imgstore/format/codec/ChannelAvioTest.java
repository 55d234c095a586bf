package io.imgstore.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.storage.StoreFiles;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.CameraFrames;
import io.imgstore.testing.CountingStoreFiles;
import io.imgstore.testing.NativeMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Video chunks read by FFmpeg through the custom I/O context ({@link ChannelAvio}) over a
 * {@link StoreFiles} channel: the same frames as by path, bytes read per random frame bounded by the
 * group of pictures (not the chunk), and no native memory, channel or context left behind after
 * thousands of opens. {@link CountingStoreFiles} over the local disk reports no local file, which
 * forces the channel path on a local chunk.
 */
class ChannelAvioTest {

    private static final int W = 320;
    private static final int H = 240;
    private static final int GOP = 10;
    private static final int FRAMES = 300;
    private static final long MB = 1024 * 1024;

    @TempDir
    static Path tmp;
    static Path chunk;

    /** One multi-GOP chunk of camera-like frames (texture + noise, barcode strip on top). */
    @BeforeAll
    static void writeChunk() {
        chunk = tmp.resolve("000000.mp4");
        CameraFrames camera = new CameraFrames(H, W, 1 << 18);
        VideoEncoderSettings settings = new VideoEncoderSettings(GOP, 8000, "medium", false);
        try (VideoChunkWriter w = VideoChunkWriter.create(chunk, StoreFormat.AVC1_MP4, H, W, false, PixelType.UINT8,
                settings, 1)) {
            for (int i = 0; i < FRAMES; i++) {
                w.write(camera.frame(i));
            }
        }
    }

    @Test
    void everyFrameThroughTheChannelEqualsTheFrameReadByPath() {
        CountingStoreFiles counting = new CountingStoreFiles(StoreFiles.LOCAL);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        try (VideoChunkReader byPath = VideoChunkReader.open(StoreFiles.LOCAL, chunk, false);
             VideoChunkReader byChannel = VideoChunkReader.open(counting, chunk, false)) {
            assertThat(byPath.readsViaChannel()).isFalse();
            assertThat(byChannel.readsViaChannel()).isTrue();
            assertThat(byChannel.frameCount()).isEqualTo(FRAMES);
            for (int i : order) {
                Image got = byChannel.read(i);
                assertThat(Barcode.decodeStrip(got)).as("frame %d", i).isEqualTo(i);
                assertThat(got.sameAs(byPath.read(i))).as("frame %d pixels", i).isTrue();
            }
        }
        assertThat(counting.channelsOpen()).isZero();
    }

    @Test
    void aRandomFrameCostsAboutOneGroupOfPicturesNotTheChunk() throws Exception {
        long fileSize = Files.size(chunk);
        long gopBytes = fileSize / (FRAMES / GOP);
        assertThat(fileSize).as("chunk size (the test needs a chunk much larger than the AVIO buffer)")
                .isGreaterThan(8L * ChannelAvio.BUFFER_SIZE);
        Random rnd = new Random(11);
        long worst = 0;
        long total = 0;
        int reads = 20;
        for (int k = 0; k < reads; k++) {
            CountingStoreFiles counting = new CountingStoreFiles(StoreFiles.LOCAL);
            try (VideoChunkReader r = VideoChunkReader.open(counting, chunk, false)) {
                long atOpen = counting.bytesRead();
                counting.reset();
                int i = rnd.nextInt(FRAMES);
                assertThat(Barcode.decodeStrip(r.read(i))).isEqualTo(i);
                long bytes = counting.bytesRead();
                worst = Math.max(worst, bytes);
                total += bytes;
                if (k == 0) {
                    System.out.printf("AVIO: chunk %d bytes, %d frames, GOP %d (~%d bytes), open read %d bytes%n",
                            fileSize, FRAMES, GOP, gopBytes, atOpen);
                }
            }
        }
        System.out.printf("AVIO: bytes read per random frame (after open): mean %d, max %d; %.1f%% of the chunk,"
                + " %.2f GOPs%n", total / reads, worst, 100.0 * worst / fileSize, (double) worst / gopBytes);
        // a seek reads from the keyframe to the frame: at most a GOP, plus one buffer of read-ahead at each end
        assertThat(worst).isLessThanOrEqualTo(gopBytes * 2 + 2L * ChannelAvio.BUFFER_SIZE);
        assertThat(worst).isLessThan(fileSize / 4);
    }

    @Test
    void openingAndClosingThousandsOfTimesLeavesNoNativeMemoryChannelOrContext() throws Exception {
        CountingStoreFiles counting = new CountingStoreFiles(StoreFiles.LOCAL);
        long liveBefore = ChannelAvio.live();
        // warm up (JIT, heap, allocator pools): measured, the first 2,000 opens grew the RSS by ~28 MB,
        // the next rounds of 2,000 by 2-5 MB each, as opening by path does
        for (int i = 0; i < 1000; i++) {
            try (VideoChunkReader r = VideoChunkReader.open(counting, chunk, false)) {
                r.read(i % FRAMES);
            }
        }
        long before = NativeMemory.settledPhysicalBytes();
        long javacppBefore = Pointer.totalBytes();
        Random rnd = new Random(5);
        for (int i = 0; i < 1000; i++) {
            try (VideoChunkReader r = VideoChunkReader.open(counting, chunk, false)) {
                if (i % 10 == 0) {
                    int n = rnd.nextInt(FRAMES);
                    assertThat(Barcode.decodeStrip(r.read(n))).isEqualTo(n);
                }
            }
        }
        long after = NativeMemory.settledPhysicalBytes();
        long javacppAfter = Pointer.totalBytes();
        System.out.printf("AVIO: 1,000 opens and closes: RSS %+d kB, JavaCPP-tracked %+d bytes%n",
                (after - before) / 1024, javacppAfter - javacppBefore);
        // the same by path, for comparison (the allocator's own growth, not the custom I/O's)
        long pathBefore = NativeMemory.settledPhysicalBytes();
        for (int i = 0; i < 1000; i++) {
            try (VideoChunkReader r = VideoChunkReader.open(StoreFiles.LOCAL, chunk, false)) {
                if (i % 10 == 0) {
                    r.read(rnd.nextInt(FRAMES));
                }
            }
        }
        System.out.printf("by path: 1,000 opens and closes: RSS %+d kB%n", (NativeMemory.settledPhysicalBytes() - pathBefore) / 1024);
        assertThat(ChannelAvio.live()).as("AVIO contexts still open").isEqualTo(liveBefore);
        assertThat(counting.channelsOpen()).as("channels still open").isZero();
        assertThat(counting.channelsOpened()).isEqualTo(2000);
        assertThat(javacppAfter - javacppBefore).as("JavaCPP-allocated bytes").isLessThanOrEqualTo(MB);
        assertThat(after - before).as("resident set growth").isLessThan(64 * MB);
    }

    @Test
    void aFileThatIsNoVideoFailsAndFreesEverything() throws Exception {
        Path junk = tmp.resolve("junk.mp4");
        Files.write(junk, new byte[200_000]);
        CountingStoreFiles counting = new CountingStoreFiles(StoreFiles.LOCAL);
        long liveBefore = ChannelAvio.live();
        assertThatThrownBy(() -> VideoChunkReader.open(counting, junk, false)).isInstanceOf(CorruptStoreException.class);
        assertThatThrownBy(() -> VideoChunkReader.open(counting, tmp.resolve("absent.mp4"), false))
                .isInstanceOf(CorruptStoreException.class);
        assertThat(ChannelAvio.live()).isEqualTo(liveBefore);
        assertThat(counting.channelsOpen()).isZero();
    }

    /** The local disk, whose channels fail with an I/O error once {@code failAfter} bytes were read. */
    private static StoreFiles failingAfter(long failAfter) {
        return new StoreFiles() {
            public byte[] read(Path file) throws java.io.IOException {
                return LOCAL().read(file);
            }

            public String readString(Path file) throws java.io.IOException {
                return LOCAL().readString(file);
            }

            public java.io.Reader newReader(Path file) throws java.io.IOException {
                return LOCAL().newReader(file);
            }

            public java.io.InputStream newInputStream(Path file) throws java.io.IOException {
                return LOCAL().newInputStream(file);
            }

            public java.nio.channels.SeekableByteChannel newChannel(Path file) throws java.io.IOException {
                java.nio.channels.SeekableByteChannel c = LOCAL().newChannel(file);
                return new java.nio.channels.SeekableByteChannel() {
                    long read;

                    public int read(java.nio.ByteBuffer dst) throws java.io.IOException {
                        if (read >= failAfter) {
                            throw new java.io.IOException("connection reset (test)");
                        }
                        int n = c.read(dst);
                        read += Math.max(0, n);
                        return n;
                    }

                    public int write(java.nio.ByteBuffer src) {
                        throw new java.nio.channels.NonWritableChannelException();
                    }

                    public long position() throws java.io.IOException {
                        return c.position();
                    }

                    public java.nio.channels.SeekableByteChannel position(long p) throws java.io.IOException {
                        c.position(p);
                        return this;
                    }

                    public long size() throws java.io.IOException {
                        return c.size();
                    }

                    public java.nio.channels.SeekableByteChannel truncate(long size) {
                        throw new java.nio.channels.NonWritableChannelException();
                    }

                    public boolean isOpen() {
                        return c.isOpen();
                    }

                    public void close() throws java.io.IOException {
                        c.close();
                    }
                };
            }

            public boolean isFile(Path file) {
                return LOCAL().isFile(file);
            }

            public boolean exists(Path file) {
                return LOCAL().exists(file);
            }

            public long size(Path file) throws java.io.IOException {
                return LOCAL().size(file);
            }

            public java.nio.file.attribute.FileTime lastModified(Path file) throws java.io.IOException {
                return LOCAL().lastModified(file);
            }

            public List<Path> list(Path folder) throws java.io.IOException {
                return LOCAL().list(folder);
            }

            public Path realPath(Path file) throws java.io.IOException {
                return LOCAL().realPath(file);
            }
        };
    }

    private static StoreFiles LOCAL() {
        return StoreFiles.LOCAL;
    }

    @Test
    void aChannelThatFailsMidStreamIsACorruptStoreErrorNotACrashAndFreesEverything() {
        long liveBefore = ChannelAvio.live();
        // at open (before the index is read) and later, during a read far into the chunk
        assertThatThrownBy(() -> VideoChunkReader.open(failingAfter(1000), chunk, false))
                .isInstanceOf(io.imgstore.format.ImgStoreException.class);
        int failures = 0;
        for (long after : new long[] {70_000, 200_000, 600_000}) {
            try (VideoChunkReader r = VideoChunkReader.open(failingAfter(after), chunk, false)) {
                for (int i = 0; i < FRAMES; i += 7) {
                    assertThat(Barcode.decodeStrip(r.read(i))).isEqualTo(i);
                }
            } catch (io.imgstore.format.ImgStoreException e) {
                failures++; // reads past the failure point fail cleanly; frames before it were exact
            }
        }
        assertThat(failures).as("reads that reached the failing bytes").isPositive();
        assertThat(ChannelAvio.live()).isEqualTo(liveBefore);
    }
}
