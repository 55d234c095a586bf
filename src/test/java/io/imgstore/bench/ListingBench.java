package io.imgstore.bench;

import io.imgstore.ImgstoreApplication;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code GET /stores} over a large root (docs/api.md, "Listing a large root"): writes {@code n}
 * small stores (npy, 8x8 gray, 10 frames in one chunk) with the library under {@code root} (kept
 * for later runs), starts the service on a free port over that root and times the first listing
 * (every metadata.yaml and index read), then repeated listings (cached), and a first page
 * ({@code limit=100}). Third argument: {@code imgstore.scan-interval} (default {@code 0s}: every
 * listing walks the root and re-checks each store's index files; the service's default is 2s).
 *
 * <pre>
 * ./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.imgstore.bench.ListingBench 10000 /tmp/imgstore-listing 0s
 * </pre>
 */
public final class ListingBench {

    private ListingBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path root = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "/tmp/imgstore-listing"));
        // 0s: every listing walks the root and re-checks every store's index stamps (the worst case)
        String scanInterval = args.length > 2 ? args[2] : "0s";
        long t0 = System.nanoTime();
        int made = 0;
        byte[] pixels = new byte[64];
        for (int i = 0; i < n; i++) {
            Path dir = root.resolve(String.format("rig%02d/exp_%05d", i % 100, i));
            if (Files.exists(dir.resolve("metadata.yaml"))) {
                continue;
            }
            StoreSpec spec = new StoreSpec(StoreFormat.NPY, new int[] {8, 8}, PixelType.UINT8, 10, Map.of(), null, null);
            try (ImgStoreWriter w = ImgStoreWriter.create(dir, spec)) {
                for (int f = 0; f < 10; f++) {
                    pixels[0] = (byte) f;
                    w.addImage(new Image(8, 8, 1, PixelType.UINT8, pixels.clone()), f, 1.7e9 + i + f / 10.0);
                }
            }
            made++;
        }
        System.out.printf("stores: %d under %s (%d written in %.1f s), scan-interval %s%n", n, root, made,
                (System.nanoTime() - t0) / 1e9, scanInterval);

        ConfigurableApplicationContext ctx = SpringApplication.run(ImgstoreApplication.class,
                "--server.port=0", "--imgstore.root=" + root, "--imgstore.demo=false", "--imgstore.scan-interval=" + scanInterval,
                "--logging.level.root=WARN");
        try {
            int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
            HttpClient http = HttpClient.newHttpClient();
            time(http, port, "/stores", "first listing (walk, metadata, indexes)");
            for (int i = 0; i < 3; i++) {
                time(http, port, "/stores", "cached listing");
            }
            time(http, port, "/stores?limit=100", "first page, limit=100");
        } finally {
            ctx.close();
        }
    }

    private static void time(HttpClient http, int port, String path, String what) throws Exception {
        long t = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t) / 1e6;
        System.out.printf("%-40s %4d  %6d stores  %8.0f ms  %7d bytes%n", what, r.statusCode(),
                Integer.parseInt(r.headers().firstValue("X-Total-Count").orElse("-1")), ms, r.body().length);
    }
}
