package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.ClipRemuxer;
import io.imgstore.format.codec.FragmentedMp4Writer;
import io.imgstore.format.storage.StoreFiles;
import io.imgstore.testing.CountingStoreFiles;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * clip.mp4's two paths on the same 1000 frames of an avc1/mp4 store (512x512 colour, camera-like
 * frames of {@link ReadBenchStores}, chunks of 250): re-encoding (sequential decode +
 * {@link FragmentedMp4Writer}, what {@code ClipService} does for unaligned ranges) against the
 * stream copy ({@link ClipRemuxer#plan} + copy, what it does for keyframe-aligned ranges). Output
 * to a counting stream; reps alternate, medians reported.
 *
 * <pre>java -cp ... io.imgstore.bench.ClipBench DIR [frames] [reps]</pre>
 */
public final class ClipBench {

    private ClipBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/imgstore-clip-bench");
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // "copy-only": skip the re-encode (minutes), time the copy by path and through a channel
        boolean encodeToo = args.length <= 3 || !args[3].equals("copy-only");
        Path store = dir.resolve("avc1-512-color-" + frames);
        if (!Files.exists(store.resolve("metadata.yaml"))) {
            Image photo = ReadBenchStores.photo();
            SplittableRandom rnd = new SplittableRandom(42);
            StoreSpec spec = new StoreSpec(StoreFormat.AVC1_MP4, new int[] {512, 512, 3}, PixelType.UINT8, 250,
                    Map.of(), null, null);
            try (ImgStoreWriter w = ImgStoreWriter.create(store, spec)) {
                for (int n = 0; n < frames; n++) {
                    w.addImage(ReadBenchStores.frame(photo, n, true, rnd), n, 1.7e9 + n / 25.0);
                }
            }
        }
        double[] encode = new double[reps];
        double[] copy = new double[reps];
        double[] channel = new double[reps];
        long[] bytes = new long[3];
        // CountingStoreFiles names no local file: the remuxer reads the chunks through ChannelAvio
        CountingStoreFiles viaChannel = new CountingStoreFiles(StoreFiles.LOCAL);
        try (ImgStore s = ImgStore.open(store)) {
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                bytes[0] = encodeToo ? encode(s, frames) : 0;
                encode[r] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                bytes[1] = copy(s, frames, StoreFiles.LOCAL);
                copy[r] = (System.nanoTime() - t0) / 1e9;
                viaChannel.reset();
                t0 = System.nanoTime();
                bytes[2] = copy(s, frames, viaChannel);
                channel[r] = (System.nanoTime() - t0) / 1e9;
                System.out.printf("rep %d: encode %.2f s (%d bytes), copy %.3f s (%d bytes), copy through a channel"
                        + " %.3f s (%d bytes, %d bytes read)%n", r, encode[r], bytes[0], copy[r], bytes[1], channel[r],
                        bytes[2], viaChannel.bytesRead());
            }
        }
        Arrays.sort(encode);
        Arrays.sort(copy);
        Arrays.sort(channel);
        System.out.printf("copy through a channel: median %.3f s (%.0f frames/s)%n", channel[reps / 2],
                frames / channel[reps / 2]);
        double e = encode[reps / 2];
        double c = copy[reps / 2];
        if (encodeToo) {
            System.out.printf("%d frames 512x512x3: encode median %.2f s (%.0f frames/s), copy median %.3f s (%.0f frames/s),"
                    + " copy %.0fx faster%n", frames, e, frames / e, c, frames / c, e / c);
        } else {
            System.out.printf("%d frames 512x512x3: copy by path median %.3f s (%.0f frames/s)%n", frames, c, frames / c);
        }
    }

    private static long encode(ImgStore s, int frames) {
        CountingStream out = new CountingStream();
        try (FragmentedMp4Writer mp4 = FragmentedMp4Writer.open(out, 512, 512, 25);
             ImgStore.SequentialReader reader = s.sequentialReader()) {
            for (int i = 0; i < frames; i++) {
                mp4.write(reader.read(i).image());
            }
        }
        return out.count;
    }

    private static long copy(ImgStore s, int frames, StoreFiles files) {
        List<ClipRemuxer.Run> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= frames; i++) {
            if (i == frames || s.chunkPosition(i).chunk() != s.chunkPosition(start).chunk()) {
                ImgStore.ChunkPosition p = s.chunkPosition(start);
                runs.add(new ClipRemuxer.Run(s.videoChunkFile(p.chunk()), p.position(), i - start));
                start = i;
            }
        }
        ClipRemuxer.Decision d = ClipRemuxer.plan(files, runs);
        CountingStream out = new CountingStream();
        d.plan().orElseThrow(() -> new IllegalStateException(d.reason())).copy(25, out);
        return out.count;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
