package io.imgstore.bench;

import io.imgstore.ImgstoreApplication;
import io.imgstore.format.Frame;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.testing.Barcode;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bulk read over loopback ({@code GET /stores/{id}/frames}, records and npy) against the library's
 * own sequential read ({@link ImgStore#nextFrame()}) of the same frames in the same JVM, and the
 * resident memory while one long range streams.
 *
 * <p>Usage: {@code BulkReadBench DIR [speed|memory] ...}:
 * <ul>
 *   <li>{@code speed W H FRAMES COLOR(true|false)}: an avc1/mp4 store of camera-like frames
 *       ({@link VideoReadBench}'s texture + fresh noise per frame + barcode) is written once under DIR;
 *       each way is timed 3 times, best and median printed; the barcodes of the first and last
 *       frame of the HTTP answer are checked.</li>
 *   <li>{@code memory FRAMES}: a 64x64 gray avc1/mp4 store of FRAMES frames; streams all of them
 *       as records and prints the process RSS every 10% (server and client share the JVM).</li>
 * </ul>
 */
public final class BulkReadBench {

    private BulkReadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(dir);
        String mode = args[1];
        String id;
        int frames;
        if (mode.equals("speed")) {
            int w = Integer.parseInt(args[2]);
            int h = Integer.parseInt(args[3]);
            frames = Integer.parseInt(args[4]);
            boolean color = Boolean.parseBoolean(args[5]);
            id = "speed_" + w + "x" + h + "_" + frames + (color ? "_color" : "_gray");
            write(dir.resolve(id), w, h, frames, color, false);
        } else {
            frames = Integer.parseInt(args[2]);
            id = "memory_" + frames;
            write(dir.resolve(id), 64, 64, frames, false, true);
        }
        ConfigurableApplicationContext app = new SpringApplication(ImgstoreApplication.class).run(
                "--server.port=0", "--imgstore.root=" + dir, "--imgstore.demo=false",
                "--imgstore.bulk.max-frames=1000000", "--logging.level.root=WARN");
        try {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            if (mode.equals("speed")) {
                speed(dir.resolve(id), "http://localhost:" + port + "/stores/" + id + "/frames", frames);
            } else {
                memory("http://localhost:" + port + "/stores/" + id + "/frames", frames);
            }
        } finally {
            app.close();
        }
    }

    static void write(Path store, int w, int h, int frames, boolean color, boolean plain) {
        if (Files.exists(store.resolve("metadata.yaml"))) {
            return;
        }
        long t0 = System.nanoTime();
        Image texture = VideoReadBench.texture(w, h, color);
        byte[] noise = VideoReadBench.noise(1 << 20);
        Random rnd = new Random(1);
        StoreSpec spec = color ? StoreSpec.of(StoreFormat.AVC1_MP4, h, w, 3) : StoreSpec.of(StoreFormat.AVC1_MP4, h, w);
        try (ImgStoreWriter wr = ImgStoreWriter.create(store, spec.withUserMetadata(Map.of("bench", "bulk")))) {
            for (int i = 0; i < frames; i++) {
                Image img = plain ? Barcode.draw(i, h, w, 1, io.imgstore.format.PixelType.UINT8)
                        // fresh noise per frame: a random offset into the noise table
                        : Barcode.texturedFrame(i, h, w, color, texture, noise, i + rnd.nextInt(1 << 16));
                wr.addImage(img, i, 1.7e9 + i / 25.0);
            }
        }
        System.out.printf("# wrote %s in %.1f s%n", store.getFileName(), (System.nanoTime() - t0) / 1e9);
    }

    static void speed(Path store, String url, int frames) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        double[] lib = new double[3];
        double[] rec = new double[3];
        double[] npy = new double[3];
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            try (ImgStore s = ImgStore.open(store)) {
                for (int i = 0; i < frames; i++) {
                    Frame f = s.nextFrame();
                    if (f.image().data().length == 0) {
                        throw new IllegalStateException();
                    }
                }
            }
            lib[rep] = (System.nanoTime() - t0) / 1e9;

            t0 = System.nanoTime();
            int got = 0;
            int first = -1;
            int last = -1;
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url + "?format=records")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (DataInputStream in = new DataInputStream(r.body())) {
                byte[] payload = null;
                String header = null;
                for (int i = 0; i < frames; i++) {
                    int n = in.readInt();
                    header = new String(in.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
                    int len = Integer.parseInt(header.replaceAll(".*\"payload_length\":(\\d+).*", "$1"));
                    if (payload == null || payload.length != len) {
                        payload = new byte[len];
                    }
                    in.readFully(payload);
                    if (i == 0) {
                        first = Barcode.decodeStrip(image(header, payload));
                    }
                    got++;
                }
                last = Barcode.decodeStrip(image(header, payload));
                if (in.read() != -1) {
                    throw new IllegalStateException("more than " + frames + " records");
                }
            }
            rec[rep] = (System.nanoTime() - t0) / 1e9;
            if (got != frames || first != Barcode.expected(0) || last != Barcode.expected(frames - 1)) {
                throw new IllegalStateException("records: " + got + " frames, barcodes " + first + ".." + last);
            }

            t0 = System.nanoTime();
            HttpResponse<InputStream> n = http.send(HttpRequest.newBuilder(URI.create(url + "?format=npy")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long bytes = 0;
            try (InputStream in = n.body()) {
                byte[] buf = new byte[1 << 20];
                for (int k; (k = in.read(buf)) > 0; ) {
                    bytes += k;
                }
            }
            npy[rep] = (System.nanoTime() - t0) / 1e9;
            System.out.printf("# rep %d: library %.3f s, records %.3f s, npy %.3f s (%d bytes)%n", rep, lib[rep],
                    rec[rep], npy[rep], bytes);
        }
        report("library nextFrame()", frames, lib, lib);
        report("HTTP records", frames, rec, lib);
        report("HTTP npy", frames, npy, lib);
    }

    private static Image image(String header, byte[] payload) {
        String[] shape = header.replaceAll(".*\"shape\":\\[([0-9,]+)\\].*", "$1").split(",");
        int c = shape.length == 3 ? 3 : 1;
        return new Image(Integer.parseInt(shape[0]), Integer.parseInt(shape[1]), c, io.imgstore.format.PixelType.UINT8,
                payload);
    }

    private static void report(String what, int frames, double[] s, double[] lib) {
        double[] a = s.clone();
        double[] b = lib.clone();
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        System.out.printf("%-20s best %7.1f frames/s, median %7.1f frames/s, ratio to library (median) %.2f%n", what,
                frames / a[0], frames / a[1], b[1] / a[1]);
    }

    static void memory(String url, int frames) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url + "?format=records")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        System.out.printf("frames  rss_mb  heap_used_mb  seconds%n");
        try (DataInputStream in = new DataInputStream(r.body())) {
            byte[] payload = new byte[64 * 64];
            for (int i = 0; i < frames; i++) {
                int n = in.readInt();
                in.skipNBytes(n);
                in.readFully(payload);
                if ((i + 1) % (frames / 10) == 0) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf("%7d %7.0f %12.0f %8.1f%n", i + 1, rss() / 1048576.0,
                            (rt.totalMemory() - rt.freeMemory()) / 1048576.0, (System.nanoTime() - t0) / 1e9);
                }
            }
            if (Barcode.decode(new Image(64, 64, 1, io.imgstore.format.PixelType.UINT8, payload))
                    != Barcode.expected(frames - 1)) {
                throw new IllegalStateException("last frame's barcode");
            }
        }
    }

    private static long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }
}
