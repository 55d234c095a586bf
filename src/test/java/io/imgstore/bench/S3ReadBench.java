package io.imgstore.bench;

import io.imgstore.format.Frame;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreLocations;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.S3Stats;
import io.imgstore.format.storage.s3.S3StoreFiles;
import io.imgstore.format.storage.s3.S3Uploads;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.CameraFrames;
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
 * disk, then one S3 reader per entry of {@code configs=} (default {@code 512K:4:64M,defaults,
 * defaults:cache=0}: the former defaults, block size 512 KiB, 4 blocks read-ahead, 64 MiB cache;
 * the current defaults; the current defaults without a block cache; see {@link #options}). Phase 1
 * reads one random frame in every GOP once, GOPs in random order (no GOP was read before: the cold
 * cost); phase 2 random frames anywhere (caches warm); phase 3 is sequential, on a fresh instance
 * per reader: every chunk read whole through its channel in 32 KiB reads (GETs, bytes, time), then
 * every frame in order. Frames are camera-like (texture + noise + barcode strip, checked on every
 * read). Not a test. Run with:
 *
 * <pre>
 * ./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.imgstore.bench.S3ReadBench \
 *     size=1280x720 frames=750 chunk=250 reads=200 configs=512K:4:64M,defaults,64K:32:64M,defaults:cache=0
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
            List<String> names = new ArrayList<>();
            List<S3StoreFiles.Options> configs = new ArrayList<>();
            names.add("local disk");
            for (String c : a.getOrDefault("configs", "512K:4:64M,defaults,defaults:cache=0").split(",")) {
                names.add("S3, " + c);
                configs.add(options(c));
            }
            int readers = names.size();
            ImgStore[] stores = new ImgStore[readers];
            S3StoreFiles[] files = new S3StoreFiles[readers];
            stores[0] = ImgStore.open(dir);
            for (int k = 1; k < readers; k++) {
                StoreLocations.Resolved r = StoreLocations.resolve(location, client, configs.get(k - 1));
                stores[k] = r.open(4);
                files[k] = (S3StoreFiles) r.files();
            }
            String[] nameArray = names.toArray(String[]::new);
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
                report(nameArray, stores, files, cold, gops, chunk);
                // phase 2, warm: random frames anywhere (caches fill)
                List<Integer> warm = new ArrayList<>();
                for (int i = 0; i < reads; i++) {
                    warm.add(rnd.nextInt(frames));
                }
                System.out.printf("phase 2, random frames anywhere: %d reads (seed 42)%n", reads);
                report(nameArray, stores, files, warm, gops, chunk);
                sequential(nameArray, configs, client, location, dir, frames, chunk);
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

    /**
     * Sequential reads, each reader on a fresh {@link S3StoreFiles} (cold block cache): every chunk
     * read whole through its channel in 32 KiB reads (FFmpeg's I/O buffer), then every frame of the
     * store in order through a fresh store. GETs, bytes and wall time per reader.
     */
    private static void sequential(String[] names, List<S3StoreFiles.Options> configs, S3Client client,
            String location, Path dir, int frames, int chunk) throws Exception {
        System.out.printf("phase 3, sequential: every chunk read whole (32 KiB reads), then all %d frames in order,"
                + " cold cache%n", frames);
        System.out.printf("  %-28s %10s %10s %12s %9s | %10s %10s %12s %9s%n", "reader", "bulk ms", "bulk GETs",
                "bulk bytes", "MB/s", "frames ms", "GETs", "bytes", "ms/frame");
        long chunkBytes = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".mp4")).toList()) {
                chunkBytes += Files.size(p);
            }
        }
        long start = System.nanoTime();
        try (ImgStore st = ImgStore.open(dir)) {
            for (int i = 0; i < frames; i++) {
                check(st.getFrameByIndex(i), i);
            }
        }
        long localFrames = System.nanoTime() - start;
        System.out.printf("  %-28s %10s %10s %12s %9s | %10.0f %10s %12s %9.2f%n", names[0], "", "", chunkBytes, "",
                localFrames / 1e6, "", "", localFrames / 1e6 / frames);
        for (int k = 0; k < configs.size(); k++) {
            StoreLocations.Resolved r = StoreLocations.resolve(location, client, configs.get(k));
            S3StoreFiles f = (S3StoreFiles) r.files();
            List<Path> chunks = new ArrayList<>();
            for (int c = 0; c * chunk < frames; c++) {
                chunks.add(r.store().resolve(String.format("%06d.mp4", c)));
            }
            for (Path p : chunks) {
                f.size(p); // HEAD before the clock
            }
            S3Stats before = f.stats();
            start = System.nanoTime();
            long read = 0;
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(32 * 1024);
            for (Path p : chunks) {
                try (java.nio.channels.SeekableByteChannel ch = f.newChannel(p)) {
                    for (int n; (n = ch.read(buf.clear())) >= 0;) {
                        read += n;
                    }
                }
            }
            long bulk = System.nanoTime() - start;
            if (read != chunkBytes) {
                throw new IllegalStateException("read " + read + " of " + chunkBytes + " bytes");
            }
            S3Stats b = f.stats().minus(before);
            r = StoreLocations.resolve(location, client, configs.get(k));
            f = (S3StoreFiles) r.files();
            start = System.nanoTime();
            S3Stats before2;
            try (ImgStore st = r.open(4)) {
                before2 = f.stats();
                for (int i = 0; i < frames; i++) {
                    check(st.getFrameByIndex(i), i);
                }
            }
            long seq = System.nanoTime() - start;
            S3Stats q = f.stats().minus(before2);
            System.out.printf("  %-28s %10.0f %10d %12d %9.1f | %10.0f %10d %12d %9.2f%n", names[k + 1], bulk / 1e6,
                    b.gets(), b.bytesFetched(), read / 1e6 / (bulk / 1e9), seq / 1e6, q.gets(), q.bytesFetched(),
                    seq / 1e6 / frames);
        }
    }

    /**
     * {@code defaults}, or {@code BLOCK:AHEAD:CACHE} ({@code 512K:4:64M}), with optional
     * {@code :cache=0}-style overrides after {@code defaults}.
     */
    static S3StoreFiles.Options options(String spec) {
        S3StoreFiles.Options o = S3StoreFiles.Options.defaults();
        String[] p = spec.split(":");
        if (p[0].equals("defaults")) {
            for (int i = 1; i < p.length; i++) {
                String[] kv = p[i].split("=");
                o = switch (kv[0]) {
                    case "block" -> o.withBlockSize((int) bytes(kv[1]));
                    case "ahead" -> o.withReadAheadBlocks(Integer.parseInt(kv[1]));
                    case "cache" -> o.withBlockCacheBytes(bytes(kv[1]));
                    default -> throw new IllegalArgumentException("unknown option " + kv[0]);
                };
            }
            return o;
        }
        return o.withBlockSize((int) bytes(p[0])).withReadAheadBlocks(Integer.parseInt(p[1]))
                .withBlockCacheBytes(bytes(p[2]));
    }

    private static long bytes(String s) {
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 1024;
            case 'M' -> 1024 * 1024;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
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
        CameraFrames camera = new CameraFrames(h, w, 1 << 20);
        try (ImgStoreWriter wr = ImgStoreWriter.create(dir, StoreSpec.of(StoreFormat.AVC1_MP4, h, w).withChunksize(chunk))) {
            for (int i = 0; i < frames; i++) {
                wr.addImage(camera.frame(i), i, 1.7e9 + i / 25.0);
            }
        }
    }
}
