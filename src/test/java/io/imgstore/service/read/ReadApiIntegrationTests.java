package io.imgstore.service.read;

import static io.imgstore.service.read.HttpTestSupport.header;
import static io.imgstore.service.read.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Frame;
import io.imgstore.format.FrameTimes;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.internal.DirectoryFrameSource;
import io.imgstore.format.npy.Npy;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.testing.Barcode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The read API end to end, over HTTP against the running service. */
class ReadApiIntegrationTests extends ReadIntegrationTestBase {

    @Autowired
    StoreRegistry registry;

    private static List<String> paths(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get("path").asText()));
        return out;
    }

    @Test
    void listingFindsStoresAtAnyDepthWithStableSafeIds() {
        JsonNode list = http.json("/stores");
        assertThat(paths(list)).contains(GRAY, COLOR, U16, EMPTY, WEIRD);
        for (JsonNode s : list) {
            assertThat(s.get("id").asText()).matches("[A-Za-z0-9._~-]+");
            assertThat(s.has("class") && s.has("format")).isTrue();
        }
        JsonNode weird = null;
        for (JsonNode s : list) {
            if (s.get("path").asText().equals(WEIRD)) {
                weird = s;
            }
        }
        assertThat(weird.get("id").asText()).startsWith("b64.");
        assertThat(http.json("/stores/" + weird.get("id").asText()).get("frame_count").asInt()).isEqualTo(3);
        assertThat(http.json("/stores").toString()).isEqualTo(list.toString());
    }

    @Test
    void listingFiltersAndPages() {
        HttpResponse<byte[]> r = http.get("/stores?q=PLAIN&limit=1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "X-Total-Count")).isEqualTo("2");
        assertThat(paths(HttpTestSupport.JSON.readTree(r.body()))).containsExactly(COLOR);
        assertThat(header(r, "Link")).contains("offset=1").contains("rel=\"next\"");
        assertThat(paths(http.json("/stores?q=plain&offset=1&limit=1"))).containsExactly(GRAY);
        assertThat(paths(http.json("/stores?q=plain&format=npy"))).containsExactly(COLOR);
        assertThat(paths(http.json("/stores?q=plain&class=directoryimgstore"))).containsExactly(COLOR, GRAY);
        assertThat(http.json("/stores?q=plain&offset=10")).isEmpty();
        assertThat(http.get("/stores?offset=-1").statusCode()).isEqualTo(400);
    }

    @Test
    void newStoresAppearWithoutARestart() {
        String path = "late/arrival_" + System.nanoTime();
        assertThat(paths(http.json("/stores?q=late/"))).doesNotContain(path);
        TestStores.write(ROOT.resolve(path), StoreFormat.NPY, 8, 16, 1, PixelType.UINT8, 4, 2, 0, 1);
        assertThat(paths(http.json("/stores?q=late/"))).contains(path);
        assertThat(http.json("/stores/" + id(path)).get("frame_count").asInt()).isEqualTo(2);
    }

    @Test
    void summaryDescribesTheStore() {
        JsonNode s = http.json("/stores/" + id(GRAY));
        assertThat(s.get("id").asText()).isEqualTo("plain~gray8_png");
        assertThat(s.get("path").asText()).isEqualTo(GRAY);
        assertThat(s.get("class").asText()).isEqualTo("DirectoryImgStore");
        assertThat(s.get("format").asText()).isEqualTo("png");
        assertThat(s.get("encoding").isNull()).isTrue();
        assertThat(s.get("imgdtype").asText()).isEqualTo("uint8");
        assertThat(s.get("image_shape").toString()).isEqualTo("[48,128]");
        assertThat(s.get("chunksize").asInt()).isEqualTo(7);
        assertThat(s.get("frame_count").asInt()).isEqualTo(20);
        assertThat(s.get("frame_min").asLong()).isEqualTo(100);
        assertThat(s.get("frame_max").asLong()).isEqualTo(138);
        assertThat(s.get("frame_time_min").asDouble()).isEqualTo(TestStores.time(0));
        assertThat(s.get("frame_time_max").asDouble()).isEqualTo(TestStores.time(19));
        assertThat(s.get("chunks").toString()).isEqualTo("[0,1,2]");
        assertThat(s.get("uuid").asText()).hasSize(32);
        assertThat(s.get("created_utc").asText()).endsWith("Z");
        assertThat(s.get("timezone_local").asText()).isNotEmpty();
        assertThat(s.get("user_metadata").get("rig").get("id").asInt()).isEqualTo(7);
        assertThat(s.get("user_metadata").get("note").asText()).isEqualTo("ü");
        assertThat(s.get("has_extra_data").asBoolean()).isTrue();
        assertThat(s.get("lossless").asBoolean()).isTrue();

        JsonNode c = http.json("/stores/" + id(COLOR));
        assertThat(c.get("image_shape").toString()).isEqualTo("[48,128,3]");
        assertThat(c.get("frame_min").asLong()).isEqualTo(-5);

        JsonNode e = http.json("/stores/" + id(EMPTY));
        assertThat(e.get("frame_count").asInt()).isZero();
        assertThat(e.get("frame_min").isNull()).isTrue();
        assertThat(e.get("frame_max").isNull()).isTrue();
        assertThat(e.get("frame_time_min").isNull()).isTrue();
        assertThat(e.get("has_extra_data").asBoolean()).isFalse();
    }

    @Test
    void metadataIsTheStoreBlockAndTheUserMetadata() {
        JsonNode m = http.json("/stores/" + id(COLOR) + "/metadata");
        assertThat(m.get("store").get("class").asText()).isEqualTo("DirectoryImgStore");
        assertThat(m.get("store").get("version").asInt()).isEqualTo(2);
        assertThat(m.get("store").get("imgshape").toString()).isEqualTo("[48,128,3]");
        assertThat(m.get("user").get("rig").get("id").asInt()).isEqualTo(7);
    }

    @Test
    void framesByNumberIndexAndTimeAreExactWithTheirHeaders() throws Exception {
        String base = "/stores/" + id(COLOR) + "/frames/";
        for (int i = 0; i < 20; i++) {
            long n = TestStores.number(-5, 1, i);
            HttpResponse<byte[]> r = http.get(base + n);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(header(r, "Content-Type")).isEqualTo("image/png");
            assertThat(header(r, "X-Frame-Number")).isEqualTo(Long.toString(n));
            assertThat(header(r, "X-Frame-Index")).isEqualTo(Integer.toString(i));
            assertThat(Double.parseDouble(header(r, "X-Frame-Time"))).isEqualTo(TestStores.time(i));
            Image png = HttpTestSupport.decode(r.body());
            assertThat(png.channels()).isEqualTo(3);
            assertThat(Barcode.decode(png)).isEqualTo(Barcode.expected(n)); // R carries the inverse: RGB order right
        }
        HttpResponse<byte[]> byIndex = http.get(base + "by-index/7");
        assertThat(header(byIndex, "X-Frame-Number")).isEqualTo("2");
        HttpResponse<byte[]> byTime = http.get(base + "by-time/" + (TestStores.time(11) + 0.04));
        assertThat(header(byTime, "X-Frame-Index")).isEqualTo("11");
        HttpResponse<byte[]> nearest = http.get("/stores/" + id(GRAY) + "/frames/103?exact=false");
        assertThat(nearest.statusCode()).isEqualTo(200);
        assertThat(header(nearest, "X-Frame-Number")).isIn("102", "104");
        assertThat(Barcode.decode(HttpTestSupport.decode(nearest.body())))
                .isEqualTo(Integer.parseInt(header(nearest, "X-Frame-Number")));
    }

    @Test
    void absentFramesAndIndexesPastTheEndAre404() {
        assertProblem(http.get("/stores/" + id(GRAY) + "/frames/103"), 404, "/problems/frame-not-found");
        assertProblem(http.get("/stores/" + id(GRAY) + "/frames/by-index/20"), 404, "/problems/frame-not-found");
        assertProblem(http.get("/stores/" + id(GRAY) + "/frames/by-index/-1"), 404, "/problems/frame-not-found");
        assertProblem(http.get("/stores/" + id(EMPTY) + "/frames/by-time/5"), 404, "/problems/frame-not-found");
        assertProblem(http.get("/stores/" + id(EMPTY) + "/frames/0?exact=false"), 404, "/problems/frame-not-found");
        assertProblem(http.get("/stores/nope/frames/1"), 404, "/problems/store-not-found");
        assertProblem(http.get("/stores/" + id(GRAY) + "/frames/by-time/NaN"), 400, "/problems/bad-request");
        assertThat(http.get("/stores/" + id(GRAY) + "/frames/12x").statusCode()).isEqualTo(400);
        assertThat(http.get("/stores/" + id(GRAY) + "/frames/1", "Accept", "text/html").statusCode()).isEqualTo(406);
    }

    @Test
    void npyIsTheExactDecodedArray() throws Exception {
        for (String path : List.of(COLOR, GRAY, U16)) {
            HttpResponse<byte[]> r = http.get("/stores/" + id(path) + "/frames/by-index/3?format=npy");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(header(r, "Content-Type")).isEqualTo("application/x-npy");
            Image served = DirectoryFrameSource.toImage(Npy.read(new ByteArrayInputStream(r.body())), "http");
            try (ImgStore s = ImgStore.open(ROOT.resolve(path))) {
                Frame f = s.getFrameByIndex(3);
                assertThat(served.sameAs(f.image())).as(path).isTrue();
            }
        }
        HttpResponse<byte[]> byAccept = http.get("/stores/" + id(COLOR) + "/frames/by-index/0", "Accept",
                "application/x-npy");
        assertThat(header(byAccept, "Content-Type")).isEqualTo("application/x-npy");
    }

    @Test
    void sixteenBitAndGrayStayAsTheyAre() {
        HttpResponse<byte[]> r = http.get("/stores/" + id(U16) + "/frames/5");
        Image png = HttpTestSupport.decode(r.body());
        assertThat(png.pixelType()).isEqualTo(PixelType.UINT16);
        assertThat(png.channels()).isEqualTo(1);
        assertThat(Barcode.decode(png)).isEqualTo(5);
        assertThat(png.sample(24, 127, 0)).isEqualTo(60000); // last band is bit 0 = 1
        Image gray = HttpTestSupport.decode(http.get("/stores/" + id(GRAY) + "/frames/100").body());
        assertThat(gray.channels()).isEqualTo(1);
        assertThat(gray.pixelType()).isEqualTo(PixelType.UINT8);
    }

    @Test
    void jpegAndThumbnails() {
        HttpResponse<byte[]> jpeg = http.get("/stores/" + id(COLOR) + "/frames/4", "Accept", "image/jpeg");
        assertThat(header(jpeg, "Content-Type")).isEqualTo("image/jpeg");
        assertThat(Barcode.decode(HttpTestSupport.decode(jpeg.body()))).isEqualTo(4);
        HttpResponse<byte[]> low = http.get("/stores/" + id(COLOR) + "/frames/4?format=jpeg&quality=10");
        assertThat(low.body().length).isLessThan(jpeg.body().length);
        assertThat(header(low, "ETag")).isNotEqualTo(header(jpeg, "ETag"));
        HttpResponse<byte[]> u16jpeg = http.get("/stores/" + id(U16) + "/frames/6?format=jpeg");
        assertThat(Barcode.decode(HttpTestSupport.decode(u16jpeg.body()))).isEqualTo(6);

        Image thumb = HttpTestSupport.decode(http.get("/stores/" + id(COLOR) + "/frames/9?width=64").body());
        assertThat(thumb.width()).isEqualTo(64);
        assertThat(thumb.height()).isEqualTo(24);
        assertThat(Barcode.decode(thumb)).isEqualTo(9);
        Image boxed = HttpTestSupport.decode(http.get("/stores/" + id(COLOR) + "/frames/9?width=64&height=12").body());
        assertThat(boxed.width()).isEqualTo(32);
        assertThat(boxed.height()).isEqualTo(12);
    }

    @Test
    void closedStoresGetStrongETagsLongCachingAnd304() {
        String url = "/stores/" + id(GRAY) + "/frames/110";
        HttpResponse<byte[]> first = http.get(url);
        String etag = header(first, "ETag");
        assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
        assertThat(header(first, "Cache-Control")).contains("immutable").contains("max-age=31536000").contains("public");
        assertThat(first.headers().allValues("Vary")).anyMatch(v -> v.contains("Accept"));

        HttpResponse<byte[]> again = http.get(url, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(header(again, "ETag")).isEqualTo(etag);
        assertThat(header(again, "X-Frame-Number")).isEqualTo("110");

        assertThat(http.get(url, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        assertThat(header(http.get(url + "?format=npy"), "ETag")).isNotEqualTo(etag);
        assertThat(header(http.get("/stores/" + id(GRAY) + "/frames/by-index/5"), "ETag")).isEqualTo(etag);
        assertThat(header(http.get(url + "?width=32"), "ETag")).isNotEqualTo(etag);
    }

    @Test
    void framesOfAStoreBeingWrittenAreNotCached() {
        String path = "live/being_written_" + System.nanoTime();
        StoreSpec spec = StoreSpec.of(StoreFormat.NPY, 16, 32).withChunksize(100);
        try (ImgStoreWriter w = ImgStoreWriter.create(ROOT.resolve(path), spec)) {
            for (int i = 0; i < 3; i++) {
                w.addImage(Barcode.draw(i, 16, 32, 1, PixelType.UINT8), i, TestStores.time(i));
            }
            w.sync();
            JsonNode list = http.json("/stores?q=" + path);
            assertThat(list.get(0).get("writing").asBoolean()).isTrue();
            HttpResponse<byte[]> r = http.get("/stores/" + id(path) + "/frames/by-index/0");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(header(r, "ETag")).isNull();
            assertThat(header(r, "Cache-Control")).isEqualTo("no-cache");
        }
    }

    @Test
    void frameMetadataOverHttp() throws Exception {
        JsonNode md = http.json("/stores/" + id(GRAY) + "/frame-metadata");
        assertThat(md.get("frame_index")).hasSize(20);
        assertThat(md.get("frame_number").get(19).asLong()).isEqualTo(138);
        assertThat(md.get("frame_time").get(19).asDouble()).isEqualTo(TestStores.time(19));
        HttpResponse<byte[]> csv = http.get("/stores/" + id(GRAY) + "/frame-metadata?frame_min=104&frame_max=107",
                "Accept", "text/csv");
        assertThat(header(csv, "Content-Type")).startsWith("text/csv");
        assertThat(text(csv)).isEqualTo("frame_index,frame_number,frame_time\r\n"
                + "2,104," + FrameTimes.format(TestStores.time(2)) + "\r\n"
                + "3,106," + FrameTimes.format(TestStores.time(3)) + "\r\n");
    }

    @Test
    void extraDataOverHttp() {
        JsonNode rows = http.json("/stores/" + id(GRAY) + "/extra-data");
        assertThat(rows).hasSize(4);
        JsonNode r1 = rows.get(1);
        assertThat(r1.get("frame_index").asInt()).isEqualTo(5);
        assertThat(r1.get("frame_number").asLong()).isEqualTo(110);
        assertThat(r1.get("frame_time").asDouble()).isEqualTo(TestStores.time(5));
        assertThat(r1.get("temperature").asDouble()).isEqualTo(25.5);
        assertThat(http.json("/stores/" + id(GRAY) + "/extra-data?frame_min=110&frame_max=120")).hasSize(2);
        assertThat(http.json("/stores/" + id(GRAY) + "/extra-data?frame_time_min=" + TestStores.time(15))).hasSize(1);
        assertThat(http.json("/stores/" + id(EMPTY) + "/extra-data")).isEmpty();
        String csv = text(http.get("/stores/" + id(GRAY) + "/extra-data", "Accept", "text/csv"));
        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).startsWith("frame_index,frame_number,frame_time,");
        assertThat(lines[0]).contains("temperature").contains("label");
        assertThat(lines[2]).contains("\"ok, 5\"");
    }

    @Test
    void idsAndPathsNeverLeaveTheRoot() throws Exception {
        Path outside = TestStores.tempRoot("imgstore-outside");
        TestStores.write(outside.resolve("secret"), StoreFormat.NPY, 8, 16, 1, PixelType.UINT8, 4, 2, 0, 1);
        Files.createSymbolicLink(ROOT.resolve("link_to_store"), outside.resolve("secret"));
        Files.createSymbolicLink(ROOT.resolve("link_to_dir"), outside);
        String rel = ROOT.relativize(outside).toString(); // ../imgstore-outside...
        List<String> attacks = new ArrayList<>(List.of(
                "/stores/..%2f..%2fetc/frames/0",
                "/stores/..%2F" + rel.substring(3) + "%2Fsecret",
                "/stores/%2e%2e/frames/0",
                "/stores/%2e%2e%2f%2e%2e%2fetc",
                "/stores/plain~..~..~etc",
                "/stores/..~" + rel.substring(3) + "~secret",
                "/stores/%2Fetc",
                "/stores/link_to_store",
                "/stores/link_to_store/frames/0",
                "/stores/link_to_dir~secret",
                "/stores/link_to_dir~secret/frames/by-index/0",
                "/stores/" + b64(rel + "/secret"),
                "/stores/" + b64(outside.resolve("secret").toString()),
                "/stores/" + b64("/etc"),
                "/stores/" + b64("link_to_dir/secret") + "/metadata",
                "/stores/" + b64("plain/../../" + rel.substring(3) + "/secret")));
        for (String attack : attacks) {
            HttpResponse<byte[]> r = http.get(attack);
            assertThat(r.statusCode()).as(attack).isIn(400, 404);
            assertThat(header(r, "Content-Type")).as(attack).isEqualTo("application/problem+json");
            assertThat(text(r)).as(attack).doesNotContain(ROOT.toString()).doesNotContain(outside.toString())
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(paths(http.json("/stores"))).noneMatch(p -> p.contains("link_to") || p.contains("secret"));
    }

    private static String b64(String path) {
        return "b64." + Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void brokenStoresGiveProblemsWithoutFileSystemPaths() throws Exception {
        Path broken = ROOT.resolve("broken/yaml");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("metadata.yaml"), "__store: [this is: not: valid");
        HttpResponse<byte[]> r = http.get("/stores/" + id("broken/yaml"));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(header(r, "Content-Type")).isEqualTo("application/problem+json");
        assertThat(text(r)).doesNotContain(ROOT.toString()).doesNotContain("\tat ");
        JsonNode listed = http.json("/stores?q=broken/yaml");
        assertThat(listed.get(0).get("error").asText()).isNotEmpty();

        String path = "broken/missing_frame";
        TestStores.write(ROOT.resolve(path), StoreFormat.PNG, 16, 32, 1, PixelType.UINT8, 4, 4, 0, 1);
        Files.delete(ROOT.resolve(path).resolve("000000/000002.png"));
        HttpResponse<byte[]> m = http.get("/stores/" + id(path) + "/frames/2");
        assertThat(m.statusCode()).isIn(404, 500);
        assertThat(text(m)).doesNotContain(ROOT.toString()).doesNotContain("\tat ");
    }

    @Test
    void metricsAndHealthAreExposed() {
        http.get("/stores/" + id(GRAY) + "/frames/100");
        http.get("/stores/" + id(GRAY) + "/frames/100");
        JsonNode gets = http.json("/actuator/metrics/cache.gets?tag=cache:stores");
        assertThat(gets.get("name").asText()).isEqualTo("cache.gets");
        assertThat(gets.toString()).contains("\"hit\"").contains("\"miss\"");
        assertThat(http.json("/actuator/metrics/cache.gets?tag=cache:stores&tag=result:hit")
                .get("measurements").get(0).get("value").asDouble()).isGreaterThan(0);
        assertThat(http.json("/actuator/metrics/cache.evictions?tag=cache:stores").get("measurements")).isNotEmpty();
        assertThat(http.json("/actuator/metrics/cache.size?tag=cache:stores").get("measurements")).isNotEmpty();
        assertThat(http.json("/actuator/metrics/imgstore.registry.open").get("measurements")).isNotEmpty();
        assertThat(http.json("/actuator/metrics/imgstore.frames.workers.active").get("measurements")).isNotEmpty();
        assertThat(http.json("/actuator/metrics/imgstore.frames.rejected").get("measurements")).isNotEmpty();
        assertThat(http.json("/actuator/health").get("status").asText()).isEqualTo("UP");
        assertThat(http.json("/actuator/health/stores").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void manyThreadsOnOneStoreAndAcrossEvictedStoresAllGetExactFrames() throws Exception {
        record Target(String path, long first, int step, int frames) {
        }
        List<Target> targets = List.of(new Target(COLOR, -5, 1, 20), new Target(GRAY, 100, 2, 20),
                new Target(U16, 0, 1, 10));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    int ok = 0;
                    for (int k = 0; k < 60; k++) {
                        // half the threads stay on one store, the others hop across 3 stores (registry holds 2)
                        Target target = seed % 2 == 0 ? targets.get(0) : targets.get(rnd.nextInt(targets.size()));
                        int i = rnd.nextInt(target.frames());
                        long n = TestStores.number(target.first(), target.step(), i);
                        HttpResponse<byte[]> r = http.get("/stores/" + id(target.path()) + "/frames/" + n);
                        if (r.statusCode() != 200) {
                            throw new AssertionError(target.path() + " " + n + " -> " + r.statusCode() + " " + text(r));
                        }
                        assertThat(header(r, "X-Frame-Index")).isEqualTo(Integer.toString(i));
                        assertThat(Barcode.decode(HttpTestSupport.decode(r.body()))).isEqualTo(Barcode.expected(n));
                        ok++;
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(5, TimeUnit.MINUTES);
            }
            assertThat(total).isEqualTo(16 * 60);
        } finally {
            pool.shutdownNow();
        }
        assertThat(http.json("/actuator/metrics/cache.evictions?tag=cache:stores").get("measurements").get(0)
                .get("value").asDouble()).isGreaterThan(0);
        // evicted readers are closed once their last read ended: nothing stays open beyond the registry
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (registry.openStores() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(registry.openStores()).isLessThanOrEqualTo(2);
    }

    private static void assertProblem(HttpResponse<byte[]> r, int status, String type) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(header(r, "Content-Type")).isEqualTo("application/problem+json");
        JsonNode p = HttpTestSupport.JSON.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).isEqualTo(type);
        assertThat(Map.of()).isNotNull();
    }
}
