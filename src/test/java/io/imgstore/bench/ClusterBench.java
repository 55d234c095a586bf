package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.testing.NginxCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run, three set-ups side by side, on the same machine and stores: one replica behind nginx, three
 * replicas behind nginx with {@code hash $store_key consistent} (the compose profile {@code cluster}), and
 * three with round robin. Load: {@code THREADS} client threads asking random frames (uniform over all
 * frames of all stores, {@code ?format=npy}) through nginx for {@code SECONDS} after a warm-up. Reported:
 * frames/s, errors, and each replica's decoded-frame cache hit rate (the deltas of
 * {@code imgstore.frames.cache.hits}/{@code misses} from {@code /actuator/metrics} over the measured
 * window). Each replica's cache holds half of all decoded frames (so the whole working set does not
 * fit in one replica, a third of it does).
 *
 * <p>Usage (bench/cluster.sh): {@code ClusterBench WORK [THREADS] [SECONDS] [STORES] [FRAMES]}. The stores
 * (512x512 gray avc1/mp4 of {@link ReadBenchStores}' frames, keyframe every {@link #GOP}) are kept in
 * {@code WORK/root-gop60} between runs. Not a test.
 */
public final class ClusterBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * Keyframe interval of the bench stores: a camera-like long GOP (the cache keeps only frames of decode
     * runs of {@code VideoChunkReader.CACHE_MIN_RUN} = 16 frames or more, so the default interval of 10
     * would never use it).
     */
    static final int GOP = 60;

    private ClusterBench() {
    }

    record Result(String name, int replicas, double fps, long errors, double[] hitRates, long[] lookups, double p50ms,
                  double p99ms) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int stores = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        int frames = args.length > 4 ? Integer.parseInt(args[4]) : 120;
        Path root = Files.createDirectories(work.resolve("root-gop" + GOP));
        Image photo = ReadBenchStores.photo();
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < stores; s++) {
            Path dir = root.resolve("bench" + s);
            if (!Files.exists(dir.resolve("metadata.yaml"))) {
                write(dir, frames, photo);
            }
            ids.add("bench" + s);
        }
        long decoded = (long) stores * frames * ReadBenchStores.SIZE * ReadBenchStores.SIZE;
        long cache = decoded / 2;
        System.out.printf(Locale.ROOT, "# ClusterBench %s, %d cores, load %s%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), loadavg());
        System.out.printf(Locale.ROOT, "# %d stores x %d frames 512x512 gray avc1/mp4, keyframe every %d (%d MiB decoded), frame cache %d MiB"
                + " per replica, %d client threads, %d s measured after 5 s warm-up%n",
                stores, frames, GOP, decoded >> 20, cache >> 20, threads, seconds);
        List<Result> results = new ArrayList<>();
        results.add(run(work, root, "1 replica", 1, "hash", ids, frames, threads, seconds, cache));
        results.add(run(work, root, "3 replicas, hash consistent", 3, "hash", ids, frames, threads, seconds, cache));
        results.add(run(work, root, "3 replicas, round robin", 3, "round-robin", ids, frames, threads, seconds, cache));
        System.out.println();
        System.out.println("| set-up | frames/s | p50 ms | p99 ms | errors | cache hit rate per replica (lookups) |");
        System.out.println("|---|---|---|---|---|---|");
        for (Result r : results) {
            StringBuilder hits = new StringBuilder();
            for (int i = 0; i < r.hitRates.length; i++) {
                hits.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f %% (%d)", 100 * r.hitRates[i],
                        r.lookups[i]));
            }
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %d | %s |%n", r.name, r.fps, r.p50ms, r.p99ms,
                    r.errors, hits);
        }
        System.out.printf(Locale.ROOT, "# done, load %s%n", loadavg());
    }

    /** A 512x512 gray avc1/mp4 store of {@link ReadBenchStores}' camera-like frames with keyframes every {@link #GOP}. */
    private static void write(Path dir, int frames, Image photo) {
        StoreSpec spec = StoreSpec.of(StoreFormat.of("avc1/mp4"), ReadBenchStores.SIZE, ReadBenchStores.SIZE)
                .withEncoder(new VideoEncoderSettings(GOP, VideoEncoderSettings.DEFAULT_H264_KBPS_PER_MEGAPIXEL,
                        VideoEncoderSettings.DEFAULT_PRESET, false));
        SplittableRandom rnd = new SplittableRandom(42);
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, spec)) {
            for (int n = 0; n < frames; n++) {
                w.addImage(ReadBenchStores.frame(photo, n, false, rnd), n, 1.7e9 + n / 25.0);
            }
        }
    }

    private static Result run(Path work, Path root, String name, int n, String balance, List<String> ids, int frames,
                              int threads, int seconds, long cache) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name.replaceAll("[^A-Za-z0-9]+", "-")));
        try (NginxCluster c = NginxCluster.start(dir, root, n, balance,
                List.of("-Xmx768m", "-Dimgstore.frameCache.bytes=" + cache), "--logging.level.root=WARN")) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            load(c, http, ids, frames, threads, 5, null); // warm-up: stores opened, caches filled
            double[][] before = counters(c, http);
            long[] latencies = new long[1 << 20];
            long[] counts = load(c, http, ids, frames, threads, seconds, latencies);
            double[][] after = counters(c, http);
            double[] rates = new double[n];
            long[] lookups = new long[n];
            for (int i = 0; i < n; i++) {
                double h = after[i][0] - before[i][0];
                double m = after[i][1] - before[i][1];
                lookups[i] = (long) (h + m);
                rates[i] = h + m == 0 ? 0 : h / (h + m);
            }
            int k = (int) Math.min(counts[0], latencies.length);
            long[] sorted = java.util.Arrays.copyOf(latencies, k);
            java.util.Arrays.sort(sorted);
            double p50 = k == 0 ? 0 : sorted[k / 2] / 1e6;
            double p99 = k == 0 ? 0 : sorted[Math.min(k - 1, (int) (k * 0.99))] / 1e6;
            Result r = new Result(name, n, counts[0] / (double) seconds, counts[1], rates, lookups, p50, p99);
            System.out.printf(Locale.ROOT, "%s: %.0f frames/s, %d errors%n", name, r.fps, r.errors);
            return r;
        }
    }

    /** Runs the load; returns {ok, errors}; latencies (ns) of successful requests when {@code lat} is given. */
    private static long[] load(NginxCluster c, HttpClient http, List<String> ids, int frames, int threads, int seconds,
                               long[] lat) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!stop.get()) {
                    String id = ids.get(rnd.nextInt(ids.size()));
                    URI u = c.uri("/stores/" + id + "/frames/" + rnd.nextInt(frames) + "?format=npy");
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(30)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() == 200 && r.body().length > ReadBenchStores.SIZE * ReadBenchStores.SIZE) {
                            long i = ok.getAndIncrement();
                            if (lat != null && i < lat.length) {
                                lat[(int) i] = System.nanoTime() - t0;
                            }
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        stop.set(true);
        for (Thread th : ts) {
            th.join();
        }
        return new long[] {ok.get(), errors.get()};
    }

    /** {hits, misses} of each replica's frame cache. */
    private static double[][] counters(NginxCluster c, HttpClient http) throws Exception {
        double[][] v = new double[c.size()][2];
        for (int i = 0; i < c.size(); i++) {
            v[i][0] = metric(c, http, i, "imgstore.frames.cache.hits");
            v[i][1] = metric(c, http, i, "imgstore.frames.cache.misses");
        }
        return v;
    }

    private static double metric(NginxCluster c, HttpClient http, int replica, String name) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(c.replicaUri(replica, "/actuator/metrics/" + name)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(name + " on replica " + replica + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("measurements").get(0).get("value").asDouble();
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "?";
        }
    }
}
