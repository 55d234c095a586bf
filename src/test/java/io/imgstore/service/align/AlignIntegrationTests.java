package io.imgstore.service.align;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.npy.Npy;
import io.imgstore.format.npy.NpyArray;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.ServiceIntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alignment of stores written with known gaps: a = 0..19 without 3, 4; b = 2..21 without 10
 * (both gray 32x64); c = 0..19, colour 32x48 (another shape).
 */
@ServiceIntegrationTest
class AlignIntegrationTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final double T0 = 1700300166.2857847;

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("imgstore.root", () -> root.toString());
        r.add("imgstore.demo", () -> "false");
    }

    static double time(int store, long n) {
        return T0 + store + n / 10.0;
    }

    static void write(String name, int store, int h, int w, int channels, long first, long last, LongPredicate skip) {
        int[] shape = channels == 3 ? new int[] {h, w, 3} : new int[] {h, w};
        StoreFormat format = StoreFormat.NPY;
        try (ImgStoreWriter writer = ImgStoreWriter.create(root.resolve(name),
                new StoreSpec(format, shape, PixelType.UINT8, 6, Map.of(), null, null))) {
            for (long n = first; n <= last; n++) {
                if (!skip.test(n)) {
                    writer.addImage(Barcode.draw(n, h, w, channels, PixelType.UINT8), n, time(store, n));
                }
            }
        }
    }

    @BeforeAll
    static void stores() {
        write("a", 0, 32, 64, 1, 0, 19, n -> n == 3 || n == 4);
        write("b", 1, 32, 64, 1, 2, 21, n -> n == 10);
        write("c", 2, 32, 48, 3, 0, 19, n -> false);
        write("broken", 3, 32, 64, 1, 0, 5, n -> false);
        try (io.imgstore.format.ImgStore broken = io.imgstore.format.ImgStore.open(root.resolve("broken"))) {
            for (int p = 0; p < 6; p++) { // every frame file garbage: decoding fails, the index reads
                java.nio.file.Files.writeString(broken.layout().frameFile(0, p), "not an npy file");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @org.junit.jupiter.api.Test
    void headOfAlignedFramesChecksFromTheIndexesWithoutDecoding() throws Exception {
        assertThat(get("/align/frames/2?stores=a,broken").statusCode()).isGreaterThanOrEqualTo(500);
        HttpResponse<byte[]> r = head("/align/frames/2?stores=a,broken");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(r.body()).isEmpty();
        assertThat(head("/align/frames/3?stores=a,broken").statusCode()).isEqualTo(404); // a lacks 3 (drop)
        assertThat(head("/align/frames/2?stores=a,c&format=npy").statusCode()).isEqualTo(400); // shapes differ
    }

    private HttpResponse<byte[]> head(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<byte[]> r = get(path);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isNull() ? null : n.asLong()));
        return out;
    }

    /** Index of frame number n in store a (0..19 without 3, 4). */
    static long indexA(long n) {
        return n < 3 ? n : n - 2;
    }

    /** Index of frame number n in store b (2..21 without 10). */
    static long indexB(long n) {
        return n < 10 ? n - 2 : n - 3;
    }

    @Test
    void dropIsTheIntersectionOnTheFirstCall() throws Exception {
        JsonNode j = json("/align?stores=a,b&policy=drop");
        List<Long> expected = new ArrayList<>();
        for (long n = 2; n <= 19; n++) {
            if (n != 3 && n != 4 && n != 10) {
                expected.add(n);
            }
        }
        assertThat(j.get("policy").asString()).isEqualTo("drop");
        assertThat(j.get("count").asInt()).isEqualTo(expected.size());
        assertThat(longs(j.get("frame_number"))).isEqualTo(expected);
        for (int r = 0; r < expected.size(); r++) {
            long n = expected.get(r);
            assertThat(j.get("frame_index").get(0).get(r).asLong()).isEqualTo(indexA(n));
            assertThat(j.get("frame_index").get(1).get(r).asLong()).isEqualTo(indexB(n));
            assertThat(j.get("frame_time").get(0).get(r).asDouble()).isEqualTo(time(0, n));
            assertThat(j.get("frame_time").get(1).get(r).asDouble()).isEqualTo(time(1, n));
        }
        // the default policy is drop; from/to bound the rows
        assertThat(longs(json("/align?stores=a,b&from=5&to=11").get("frame_number"))).containsExactly(5L, 6L, 7L, 8L, 9L, 11L);
    }

    @Test
    void holdIsTheUnionWithTheLastFrameAtOrBefore() throws Exception {
        JsonNode j = json("/align?stores=a,b&policy=hold");
        List<Long> numbers = longs(j.get("frame_number"));
        assertThat(numbers).isEqualTo(java.util.stream.LongStream.rangeClosed(0, 21).boxed().toList());
        List<Long> a = longs(j.get("frame_index").get(0));
        List<Long> b = longs(j.get("frame_index").get(1));
        assertThat(a.get(3)).isEqualTo(indexA(2)); // 3 and 4 hold 2
        assertThat(a.get(4)).isEqualTo(indexA(2));
        assertThat(a.get(20)).isEqualTo(indexA(19));
        assertThat(a.get(21)).isEqualTo(indexA(19));
        assertThat(b.get(0)).isNull(); // nothing to hold yet: black
        assertThat(b.get(1)).isNull();
        assertThat(b.get(10)).isEqualTo(indexB(9));
        assertThat(j.get("frame_time").get(0).get(3).isNull()).isTrue(); // missing: no time (as imgstore's NaN)
        assertThat(j.get("frame_time").get(1).get(10).isNull()).isTrue();
        assertThat(j.get("frame_time").get(0).get(5).asDouble()).isEqualTo(time(0, 5));
    }

    @Test
    void blackIsTheUnionWithNothingWhereMissing() throws Exception {
        JsonNode j = json("/align?stores=a,b&policy=black");
        assertThat(j.get("count").asInt()).isEqualTo(22);
        assertThat(j.get("frame_index").get(0).get(3).isNull()).isTrue();
        assertThat(j.get("frame_index").get(1).get(10).isNull()).isTrue();
        assertThat(j.get("frame_index").get(1).get(11).asLong()).isEqualTo(indexB(11));
    }

    private NpyArray npy(String path) throws Exception {
        HttpResponse<byte[]> r = get(path);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-npy");
        return Npy.read(new ByteArrayInputStream(r.body()));
    }

    private static Image slice(NpyArray a, int k) {
        int bytes = 32 * 64;
        return new Image(32, 64, 1, PixelType.UINT8, Arrays.copyOfRange(a.data(), k * bytes, (k + 1) * bytes));
    }

    @Test
    void alignedFramesAsAnNpyStackFollowThePolicy() throws Exception {
        NpyArray hold = npy("/align/frames/3?stores=a,b&policy=hold&format=npy");
        assertThat(hold.shape()).containsExactly(2, 32, 64);
        assertThat(Barcode.decode(slice(hold, 0))).isEqualTo(Barcode.expected(2)); // held
        assertThat(Barcode.decode(slice(hold, 1))).isEqualTo(Barcode.expected(3));

        NpyArray black = npy("/align/frames/10?stores=a,b&policy=black&format=npy");
        assertThat(Barcode.decode(slice(black, 0))).isEqualTo(Barcode.expected(10));
        assertThat(slice(black, 1).data()).containsOnly((byte) 0);

        NpyArray early = npy("/align/frames/0?stores=a,b&policy=hold&format=npy");
        assertThat(slice(early, 1).data()).containsOnly((byte) 0); // b has nothing at or before 0

        NpyArray drop = npy("/align/frames/12?stores=b,a&format=npy");
        assertThat(Barcode.decode(slice(drop, 0))).isEqualTo(Barcode.expected(12));
        assertThat(Barcode.decode(slice(drop, 1))).isEqualTo(Barcode.expected(12));

        assertThat(get("/align/frames/10?stores=a,b&policy=drop&format=npy").statusCode()).isEqualTo(404);
        assertThat(get("/align/frames/99?stores=a,b&policy=hold").statusCode()).isEqualTo(404);
        assertThat(get("/align/frames/5?stores=a,c&format=npy").statusCode()).isEqualTo(400); // shapes differ
    }

    @Test
    void sideBySidePngPadsAndConcatenates() throws Exception {
        HttpResponse<byte[]> r = get("/align/frames/5?stores=a,c,b&policy=drop");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
        Image img = ImageCodec.decode(r.body(), true);
        assertThat(img.width()).isEqualTo(64 + 48 + 64);
        assertThat(img.height()).isEqualTo(32);
        int x0 = 0;
        for (int w : new int[] {64, 48, 64}) {
            byte[] part = new byte[32 * w * 3];
            for (int y = 0; y < 32; y++) {
                System.arraycopy(img.data(), (y * img.width() + x0) * 3, part, y * w * 3, w * 3);
            }
            assertThat(Barcode.decode(new Image(32, w, 3, PixelType.UINT8, part))).isEqualTo(Barcode.expected(5));
            x0 += w;
        }
        assertThat(get("/align?stores=a,nope").statusCode()).isEqualTo(404);
        assertThat(get("/align?stores=a,b&policy=sideways").statusCode()).isEqualTo(400);
    }
}
