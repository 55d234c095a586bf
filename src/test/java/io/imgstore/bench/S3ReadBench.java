package io.imgstore.bench;

import io.imgstore.format.Frame;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreLocations;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.S3Stats;
import io.imgstore.format.storage.s3.S3StoreFiles;
import io.imgstore.format.storage.s3.S3Uploads;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.GopSizes;
import io.imgstore.testing.S3Proxies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Random frames from a video store in object storage (S3Proxy on loopback, its own JVM, filesystem
 * backend) against the same store on the local disk, in one run: wall time per random frame
 * (median, p90) and the bytes fetched per random frame (S3Stats) against the size of the frame's
 * GOP (summed packet sizes). The readers take turns frame by frame, on the same sequence: local
 * disk, S3 with the default options (512 KiB blocks, 4 blocks read-ahead, 64 MiB block cache), S3
 * with 64 KiB blocks and 1 block read-ahead, S3 with the block cache off. Phase 1 reads one random
 * frame in every GOP once, GOPs in random order (no GOP was read before: the cold cost); phase 2
 * random frames anywhere (caches warm). Frames are camera-like (texture + noise + barcode strip,
 * checked on every read). Not a test. Run with:
 *
 * <pre>
 * ./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.imgstore.bench.S3ReadBench \
 *     size=1280x720 frames=750 chunk=250 reads=200
 * </pre>
 * (also {@code bench/s3_read.sh}).
 */
public final class S3ReadBench {

    private S3ReadBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        String[] size = a.getOrDefault("size", "1280x720").split("x");
        int w = Integer.parseInt(size[0]);
        int h = Integer.parseInt(size[1]);
        int frames = Integer.parseInt(a.getOrDefault("frames", "500"));
        int chunk = Integer.parseInt(a.getOrDefault("chunk", "250"));
        int reads = Integer.parseInt(a.getOrDefault("reads", "200"));
        Path tmp = Files.createTempDirectory("s3-read-bench");
        Path dir = tmp.resolve("store");
        long t0 = System.nanoTime();
        writeStore(dir, h, w, frames, chunk);
        System.out.printf("store: %dx%d gray avc1/mp4, %d frames, %d per chunk, default encoder (GOP %d): written in"
                + " %.1f s%n", w, h, frames, chunk, 10, (System.nanoTime() - t0) / 1e9);
        List<List<Long>> gops = new ArrayList<>();
        long bytes = 0;
        for (int c = 0; c * chunk < frames; c++) {
            Path f = dir.resolve(String.format("%06d.mp4", c));
            gops.add(GopSizes.of(f));
            bytes += Files.size(f);
        }
        long[] allGops = gops.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("chunks: %d, %d bytes; GOP bytes: median %d, min %d, max %d%n", gops.size(), bytes,
                allGops[allGops.length / 2], allGops[0], allGops[allGops.length - 1]);
        try (S3Proxies s3 = S3Proxies.start(); S3Client client = s3.client()) {
            s3.createBucket("bench");
            String location = "s3://bench/lab/store";
            S3Uploads up = new S3Uploads(client, S3Location.parse(location));
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    up.putFile(dir.relativize(p).toString(), p);
                }
            }
            S3StoreFiles.Options defaults = S3StoreFiles.Options.defaults();
            S3StoreFiles.Options small = defaults.withBlockSize(64 * 1024).withReadAheadBlocks(1);
            S3StoreFiles.Options noCache = defaults.withBlockCacheBytes(0);
            List<StoreLocations.Resolved> resolved = List.of(StoreLocations.resolve(location, client, defaults),
                    StoreLocations.resolve(location, client, small), StoreLocations.resolve(location, client, noCache));
            String[] names = {"local disk", "S3, defaults (512K blocks)", "S3, 64K blocks, ahead 1",
                "S3, no block cache"};
            ImgStore[] stores = new ImgStore[4];
            S3StoreFiles[] files = new S3StoreFiles[4];
            stores[0] = ImgStore.open(dir);
            for (int k = 1; k < 4; k++) {
                stores[k] = resolved.get(k - 1).open(4);
                files[k] = (S3StoreFiles) resolved.get(k - 1).files();
            }
            try {
                for (ImgStore st : stores) { // open each chunk once (container header, index): not counted
                    for (int c = 0; c * chunk < frames; c++) {
                        check(st.getFrameByIndex(c * chunk), c * chunk);
                    }
                }
                // phase 1, cold: one random frame in every GOP (but the first of each chunk), GOPs in random order
                Random rnd = new Random(42);
                List<Integer> cold = new ArrayList<>();
                for (int g = 0; g * 10 < frames; g++) {
                    if ((g * 10) % chunk != 0) {
                        cold.add(g * 10 + rnd.nextInt(10));
                    }
                }
                java.util.Collections.shuffle(cold, rnd);
                System.out.printf("phase 1, cold GOPs: %d reads, one random frame in each not yet read GOP%n",
                        cold.size());
                report(names, stores, files, cold, gops, chunk);
                // phase 2, warm: random frames anywhere (caches fill)
                List<Integer> warm = new ArrayList<>();
                for (int i = 0; i < reads; i++) {
                    warm.add(rnd.nextInt(frames));
                }
                System.out.printf("phase 2, random frames anywhere: %d reads (seed 42)%n", reads);
                report(names, stores, files, warm, gops, chunk);
            } finally {
                for (ImgStore st : stores) {
                    st.close();
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Each reader reads the same frames, taking turns frame by frame; prints one line per reader. */
    private static void report(String[] names, ImgStore[] stores, S3StoreFiles[] files, List<Integer> order,
            List<List<Long>> gops, int chunk) {
        int n = order.size();
        int readers = stores.length;
        long[][] nanos = new long[readers][n];
        long[][] fetched = new long[readers][n];
        double[][] perGop = new double[readers][n];
        for (int i = 0; i < n; i++) {
            int index = order.get(i);
            long gop = gops.get(index / chunk).get((index % chunk) / 10);
            for (int k = 0; k < readers; k++) {
                S3Stats before = files[k] == null ? null : files[k].stats();
                long start = System.nanoTime();
                Frame f = stores[k].getFrameByIndex(index);
                nanos[k][i] = System.nanoTime() - start;
                check(f, index);
                if (files[k] != null) {
                    fetched[k][i] = files[k].stats().minus(before).bytesFetched();
                    perGop[k][i] = fetched[k][i] / (double) gop;
                }
            }
        }
        System.out.printf("  %-28s %9s %9s %8s %12s %12s %9s %9s %9s%n", "reader", "median ms", "p90 ms", "x local",
                "mean bytes", "max bytes", "mean xGOP", "p90 xGOP", "max xGOP");
        long[] local = nanos[0].clone();
        Arrays.sort(local);
        for (int k = 0; k < readers; k++) {
            long[] t = nanos[k].clone();
            Arrays.sort(t);
            double[] g = perGop[k].clone();
            Arrays.sort(g);
            System.out.printf("  %-28s %9.1f %9.1f %8.2f %12d %12d %9.2f %9.2f %9.2f%n", names[k], t[n / 2] / 1e6,
                    t[(int) (n * 0.9)] / 1e6, t[n / 2] / (double) local[n / 2],
                    (long) Arrays.stream(fetched[k]).average().orElse(0), Arrays.stream(fetched[k]).max().orElse(0),
                    Arrays.stream(g).average().orElse(0), g[(int) (n * 0.9)], g[n - 1]);
        }
    }

    private static void check(Frame f, int index) {
        int got = Barcode.decodeStrip(f.image());
        if (got != index) {
            throw new IllegalStateException("frame " + index + " shows " + got);
        }
    }

    private static void writeStore(Path dir, int h, int w, int frames, int chunk) {
        Image texture = Image.blank(h, w, 1, PixelType.UINT8);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                texture.setSample(y, x, 0, (int) (128 + 60 * Math.sin(x / 7.0) * Math.cos(y / 11.0)));
            }
        }
        Random r = new Random(7);
        byte[] noise = new byte[1 << 20];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) Math.max(-127, Math.min(127, Math.round(r.nextGaussian() * 3)));
        }
        try (ImgStoreWriter wr = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.AVC1_MP4, h, w).withChunksize(chunk))) {
            for (int i = 0; i < frames; i++) {
                wr.addImage(Barcode.texturedFrame(i, h, w, false, texture, noise, i), i, 1.7e9 + i / 25.0);
            }
        }
    }
}
