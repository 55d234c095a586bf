package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.VideoChunkReader;
import io.imgstore.testing.Barcode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Library benchmarks for the targets (run: see README "Performance"). Stores are written
 * with default settings into a temporary folder at trial start.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
public class LibraryBench {

    static final int BIG_H = 1200;
    static final int BIG_W = 1920;
    static final int BIG_FRAMES = 500;
    static final int SMALL_FRAMES = 1000;

    Path tmp;
    Path big;
    Path small;
    Path manyChunks;
    ImgStore bigStore;
    ImgStore smallStore;
    SplittableRandom random = new SplittableRandom(1);
    Image bigFrame;
    ImgStoreWriter writer;
    long written;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        tmp = Files.createTempDirectory("imgstore-bench");
        big = tmp.resolve("big");
        write(big, StoreSpec.of(StoreFormat.AVC1_MP4, BIG_H, BIG_W), BIG_FRAMES, BIG_H, BIG_W);
        small = tmp.resolve("small");
        write(small, StoreSpec.of(StoreFormat.AVC1_MP4, 512, 512), SMALL_FRAMES, 512, 512);
        manyChunks = tmp.resolve("many");
        write(manyChunks, StoreSpec.of(StoreFormat.AVC1_MP4, 64, 64).withChunksize(5), 1000, 64, 64);
        bigStore = ImgStore.open(big);
        smallStore = ImgStore.open(small);
        bigFrame = Barcode.draw(1, BIG_H, BIG_W, 1, PixelType.UINT8);
    }

    private static void write(Path dir, StoreSpec spec, int frames, int h, int w) {
        try (ImgStoreWriter wr = ImgStoreWriter.create(dir, spec)) {
            for (int i = 0; i < frames; i++) {
                wr.addImage(Barcode.draw(i, h, w, 1, PixelType.UINT8), i, i / 25.0);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        bigStore.close();
        smallStore.close();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Random exact read, 1920x1200 gray H.264 (target: median ≤ 28 ms). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Image randomRead1920x1200() {
        return bigStore.getFrame(random.nextInt(BIG_FRAMES)).image();
    }

    /** Random exact read, 512x512 gray H.264 (target: median ≤ 5 ms). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Image randomRead512x512() {
        return smallStore.getFrame(random.nextInt(SMALL_FRAMES)).image();
    }

    /** Sequential decode of the whole 1920x1200 chunk (frames/s = BIG_FRAMES / time). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 5)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int sequentialDecode1920x1200() {
        int n = 0;
        try (VideoChunkReader r = VideoChunkReader.open(big.resolve("000000.mp4"), false)) {
            for (int i = 0; i < r.frameCount(); i++) {
                n += r.read(i).height();
            }
        }
        return n;
    }

    /** Opening a store of 200 chunks (target ≤ 14 ms). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int open200ChunkStore() {
        try (ImgStore s = ImgStore.open(manyChunks)) {
            return s.frameCount();
        }
    }

    @Setup(Level.Iteration)
    public void openWriter() {
        writer = ImgStoreWriter.create(tmp.resolve("w" + System.nanoTime()), StoreSpec.of(StoreFormat.AVC1_MP4, BIG_H, BIG_W));
    }

    @TearDown(Level.Iteration)
    public void closeWriter() {
        writer.close();
    }

    /** Writing 1920x1200 gray H.264 with default settings (target ≥ 100 frames/s). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void write1920x1200() {
        writer.addImage(bigFrame, written, written / 25.0);
        written++;
    }
}
