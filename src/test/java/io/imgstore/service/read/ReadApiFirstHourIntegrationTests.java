package io.imgstore.service.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.FrameTimes;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The read API's "first hour" behaviour: frame times written the same plain way everywhere, paged
 * per-frame tables, the frame counts and times of the listing, and errors that say what to do.
 */
class ReadApiFirstHourIntegrationTests extends ReadIntegrationTestBase {

    /** A frame time field and its value(s) in JSON: a number, null, or an array of them. */
    private static final Pattern JSON_TIME = Pattern.compile("\"frame_time(?:_min|_max)?\":\\s*(\\[[^\\]]*\\]|[^,}\\]]+)");

    private static final Set<Double> WRITTEN = new TreeSet<>();

    static {
        for (int i = 0; i < 20; i++) {
            WRITTEN.add(TestStores.time(i));
        }
    }

    /** A written time: no exponent, the shortest digits, and parses back to exactly a time the stores hold. */
    private static void assertPlainTime(String text, String where) {
        assertThat(text).as(where).doesNotContainIgnoringCase("e").isNotBlank();
        double t = Double.parseDouble(text);
        assertThat(WRITTEN).as(where + ": " + text).contains(t);
        assertThat(text).as(where).isEqualTo(FrameTimes.format(t));
    }

    /** Every frame time value in a JSON body; the number checked. */
    private static int assertJsonTimes(String body, String where) {
        Matcher m = JSON_TIME.matcher(body);
        int n = 0;
        while (m.find()) {
            String v = m.group(1).trim();
            for (String tok : v.replace("[", "").replace("]", "").split(",")) {
                if (tok.isBlank() || tok.trim().equals("null")) {
                    continue;
                }
                assertPlainTime(tok.trim(), where);
                n++;
            }
        }
        return n;
    }

    private String body(String path, String... headers) {
        HttpResponse<byte[]> r = http.get(path, headers);
        assertThat(r.statusCode()).as(path + " " + HttpTestSupport.text(r)).isEqualTo(200);
        return HttpTestSupport.text(r);
    }

    @Test
    void everyFrameTimeIsAPlainDecimalThatParsesBackExactly() {
        String g = "/stores/" + id(GRAY);
        int checked = 0;
        checked += assertJsonTimes(body("/stores"), "GET /stores");
        checked += assertJsonTimes(body(g), "GET store");
        checked += assertJsonTimes(body(g + "/frame-metadata"), "frame-metadata json");
        checked += assertJsonTimes(body(g + "/extra-data"), "extra-data json");
        assertThat(checked).as("time values seen").isGreaterThanOrEqualTo(2 * 4 + 2 + 20 + 4);

        for (String csvPath : List.of(g + "/frame-metadata?format=csv", g + "/extra-data?format=csv")) {
            String[] lines = body(csvPath).split("\r\n");
            List<String> header = List.of(lines[0].split(","));
            int col = header.indexOf("frame_time");
            assertThat(col).as(csvPath).isNotNegative();
            for (int i = 1; i < lines.length; i++) {
                assertPlainTime(lines[i].split(",")[col], csvPath + " line " + i);
            }
        }

        List<String> headerPaths = new ArrayList<>(List.of(g + "/frames/100", g + "/frames/by-index/3",
                g + "/frames/by-time/" + FrameTimes.format(TestStores.time(7)), g + "/frames/latest"));
        for (String p : headerPaths) {
            HttpResponse<byte[]> r = http.get(p);
            assertThat(r.statusCode()).as(p).isEqualTo(200);
            assertPlainTime(HttpTestSupport.header(r, "X-Frame-Time"), p + " X-Frame-Time");
        }
        assertThat(HttpTestSupport.header(http.get(g + "/frames/latest"), "X-Frame-Time"))
                .isEqualTo(FrameTimes.format(TestStores.time(19)));
    }

    @Test
    void theListingCarriesFrameCountsAndTimesFromTheIndexes() {
        JsonNode stores = http.json("/stores");
        JsonNode gray = null;
        JsonNode empty = null;
        for (JsonNode s : stores) {
            if (s.get("path").asString().equals(GRAY)) {
                gray = s;
            }
            if (s.get("path").asString().equals(EMPTY)) {
                empty = s;
            }
        }
        assertThat(gray).isNotNull();
        assertThat(gray.get("frame_count").asInt()).isEqualTo(20);
        assertThat(gray.get("frame_time_min").asDouble()).isEqualTo(TestStores.time(0));
        assertThat(gray.get("frame_time_max").asDouble()).isEqualTo(TestStores.time(19));
        assertThat(empty.get("frame_count").asInt()).isZero();
        assertThat(empty.get("frame_time_min").isNull()).isTrue();
        assertThat(empty.get("frame_time_max").isNull()).isTrue();
        // the same numbers as the opened store's summary
        JsonNode summary = http.json("/stores/" + id(COLOR));
        JsonNode color = http.json("/stores?q=color_npy").get(0);
        assertThat(color.get("frame_count").asInt()).isEqualTo(summary.get("frame_count").asInt());
        assertThat(color.get("frame_time_min").asDouble()).isEqualTo(summary.get("frame_time_min").asDouble());
        assertThat(color.get("frame_time_max").asDouble()).isEqualTo(summary.get("frame_time_max").asDouble());
    }

    @Test
    void frameMetadataIsPagedWithTotalCountAndNextLink() {
        String g = "/stores/" + id(GRAY) + "/frame-metadata";
        HttpResponse<byte[]> r = http.get(g + "?offset=5&limit=5");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(HttpTestSupport.header(r, "X-Total-Count")).isEqualTo("20");
        assertThat(HttpTestSupport.header(r, "Link")).contains("offset=10").contains("limit=5").contains("rel=\"next\"");
        JsonNode page = http.json(g + "?offset=5&limit=5");
        assertThat(page.get("frame_index").toString()).isEqualTo("[5,6,7,8,9]");
        assertThat(page.get("frame_number").toString()).isEqualTo("[110,112,114,116,118]");
        assertThat(page.get("frame_time")).hasSize(5);

        HttpResponse<byte[]> last = http.get(g + "?offset=15&limit=5");
        assertThat(HttpTestSupport.header(last, "X-Total-Count")).isEqualTo("20");
        assertThat(HttpTestSupport.header(last, "Link")).isNull();

        // the window first, then the page: total counts the window
        HttpResponse<byte[]> win = http.get(g + "?frame_min=110&frame_max=129&limit=3&format=csv");
        assertThat(HttpTestSupport.header(win, "X-Total-Count")).isEqualTo("10");
        assertThat(HttpTestSupport.text(win).split("\r\n")).hasSize(4);
        assertThat(HttpTestSupport.text(win).split("\r\n")[1]).startsWith("5,110,");

        JsonNode all = http.json(g);
        assertThat(all.get("frame_index")).hasSize(20);
        assertThat(HttpTestSupport.header(http.get(g), "Link")).isNull();
    }

    @Test
    void extraDataIsPagedToo() {
        String e = "/stores/" + id(GRAY) + "/extra-data";
        HttpResponse<byte[]> r = http.get(e + "?limit=3");
        assertThat(HttpTestSupport.header(r, "X-Total-Count")).isEqualTo("4");
        assertThat(HttpTestSupport.header(r, "Link")).contains("offset=3").contains("rel=\"next\"");
        JsonNode rows = http.json(e + "?offset=3&limit=3");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("frame_number").asLong()).isEqualTo(130);
    }

    @Test
    void aLimitAboveTheMaximumOrANegativeOffsetIs400() {
        for (String p : List.of("/frame-metadata?limit=100001", "/extra-data?limit=100001", "/frame-metadata?offset=-1",
                "/extra-data?limit=-1")) {
            HttpResponse<byte[]> r = http.get("/stores/" + id(GRAY) + p);
            assertThat(r.statusCode()).as(p).isEqualTo(400);
            assertThat(HttpTestSupport.text(r)).as(p).contains("\"type\":\"/problems/bad-request\"");
        }
        assertThat(HttpTestSupport.text(http.get("/stores/" + id(GRAY) + "/frame-metadata?limit=100001")))
                .contains("100000");
        assertThat(http.get("/stores/" + id(GRAY) + "/frame-metadata?limit=100000").statusCode()).isEqualTo(200);
    }

    @Test
    void unparsableNumbersAre400BadRequestProblems() {
        String g = "/stores/" + id(GRAY);
        for (String p : List.of("/frames/abc", "/frames/by-index/abc", "/frames/by-time/abc",
                "/frame-metadata?frame_min=abc", "/frame-metadata?limit=many")) {
            HttpResponse<byte[]> r = http.get(g + p);
            assertThat(r.statusCode()).as(p).isEqualTo(400);
            assertThat(HttpTestSupport.header(r, "Content-Type")).as(p).startsWith("application/problem+json");
            assertThat(HttpTestSupport.text(r)).as(p).contains("\"type\":\"/problems/bad-request\"");
        }
    }

    @Test
    void aStorePathInPlaceOfItsIdNamesTheId() {
        HttpResponse<byte[]> r = http.get("/stores/plain/gray8_png");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(HttpTestSupport.header(r, "Content-Type")).startsWith("application/problem+json");
        assertThat(HttpTestSupport.text(r)).contains("\"type\":\"/problems/store-not-found\"")
                .contains("plain~gray8_png").doesNotContain("No static resource").doesNotContain(ROOT.toString());

        String frames = HttpTestSupport.text(http.get("/stores/plain/gray8_png/frames/100"));
        assertThat(frames).contains("/problems/store-not-found").contains("/stores/plain~gray8_png/frames/100");
        String deep = HttpTestSupport.text(http.get("/stores/deep/a/b/u16_png/metadata"));
        assertThat(deep).contains("/problems/store-not-found").contains("deep~a~b~u16_png");

        HttpResponse<byte[]> none = http.get("/stores/plain/nothing_here");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(HttpTestSupport.text(none)).doesNotContain("~");
    }
}
