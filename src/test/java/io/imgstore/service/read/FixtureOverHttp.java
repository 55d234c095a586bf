package io.imgstore.service.read;

import static io.imgstore.service.read.HttpTestSupport.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.service.catalog.StoreIds;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;

/**
 * The checks of one Python imgstore reference store served over HTTP, shared by every root the
 * service reads from (a folder: {@link FixtureFramesOverHttpIntegrationTests}; object storage:
 * {@link S3RootIntegrationTests}): the summary against the fixture's manifest, the extra data, and
 * every frame by number and by index in shuffled order.
 */
final class FixtureOverHttp {

    private FixtureOverHttp() {
    }

    /**
     * The store's summary (frame count and range, image shape, class, chunks, uuid, user metadata)
     * equals the manifest's, and its extra data has the manifest's number of rows.
     */
    static void checkSummaryAndExtraData(HttpTestSupport http, Fixtures.Store fixture) {
        String id = StoreIds.idFor(fixture.name());
        JsonNode m = fixture.manifest();

        JsonNode summary = http.json("/stores/" + id);
        assertThat(summary.get("frame_count").asInt()).isEqualTo(fixture.frameCount());
        assertThat(summary.get("frame_min").asLong()).isEqualTo(m.get("frame_min").asLong());
        assertThat(summary.get("frame_max").asLong()).isEqualTo(m.get("frame_max").asLong());
        assertThat(summary.get("image_shape").toString()).isEqualTo(m.get("image_shape").toString());
        assertThat(summary.get("class").asText()).isEqualTo(m.get("class").asText());
        assertThat(summary.get("chunks").toString()).isEqualTo(m.get("chunks").toString());
        assertThat(summary.get("uuid").asText()).isEqualTo(m.get("uuid").asText());
        assertThat(summary.get("user_metadata")).isEqualTo(m.get("user_metadata"));

        JsonNode extra = http.json("/stores/" + id + "/extra-data");
        int expectedRows = m.has("extra_rows") ? m.get("extra_rows").asInt() : m.get("extra").size();
        assertThat(extra).hasSize(expectedRows);
    }

    /**
     * Every frame, fetched by frame number and by index in an order shuffled per store (PNG decoded
     * with ImageIO), shows its own barcode and carries its own index, number and exact time; a lookup
     * by number answers the first index with that number.
     */
    static void checkEveryFrameShuffled(HttpTestSupport http, Fixtures.Store fixture) {
        String id = StoreIds.idFor(fixture.name());
        List<long[]> frames = fixture.frameNumbers();
        // first index of each frame number (lookups by number return the first)
        Map<Long, Integer> firstIndex = new HashMap<>();
        for (long[] f : frames) {
            firstIndex.putIfAbsent(f[1], (int) f[0]);
        }
        List<String> requests = new ArrayList<>();
        for (long[] f : frames) {
            requests.add("n:" + f[1]);
            requests.add("i:" + f[0]);
        }
        Collections.shuffle(requests, new Random(fixture.name().hashCode()));
        for (String req : requests) {
            boolean byNumber = req.startsWith("n:");
            long value = Long.parseLong(req.substring(2));
            int index = byNumber ? firstIndex.get(value) : (int) value;
            long number = frames.get(index)[1];
            String url = "/stores/" + id + "/frames/" + (byNumber ? value : "by-index/" + value);
            HttpResponse<byte[]> r = http.get(url);
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            assertThat(header(r, "X-Frame-Index")).as(url).isEqualTo(Integer.toString(index));
            assertThat(header(r, "X-Frame-Number")).as(url).isEqualTo(Long.toString(number));
            assertThat(Double.parseDouble(header(r, "X-Frame-Time"))).as(url).isEqualTo(fixture.frameTime(index));
            assertThat(Barcode.decode(HttpTestSupport.decode(r.body()))).as(url).isEqualTo(Barcode.expected(number));
        }
    }
}
