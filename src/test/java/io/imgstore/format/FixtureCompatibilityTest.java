package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every store written by the original Python imgstore (../shared/fixtures) opens with the same
 * metadata, and every frame, read in shuffled order by number and by index, shows its own number.
 */
class FixtureCompatibilityTest {

    /** Opens a fixture store (subclasses: through another storage). */
    ImgStore open(Fixtures.Store f) {
        return ImgStore.open(f.dir());
    }

    static Stream<Fixtures.Store> stores() {
        return Fixtures.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void metadataMatchesTheReference(Fixtures.Store f) {
        JsonNode m = f.manifest();
        try (ImgStore s = open(f)) {
            assertThat(s.frameCount()).isEqualTo(m.get("frame_count").asInt());
            assertThat(s.frameMin().getAsLong()).isEqualTo(m.get("frame_min").asLong());
            assertThat(s.frameMax().getAsLong()).isEqualTo(m.get("frame_max").asLong());
            assertThat(s.storeClass()).isEqualTo(m.get("class").asText());
            assertThat(s.format().name()).isEqualTo(m.get("format").asText().replace("+color", ""));
            assertThat(s.uuid()).isEqualTo(m.get("uuid").asText());
            assertThat(s.chunksize()).isEqualTo(m.get("chunksize").asInt());
            assertThat(s.lossless()).isEqualTo(m.get("lossless").asBoolean());
            List<Integer> chunks = new ArrayList<>();
            m.get("chunks").forEach(c -> chunks.add(c.asInt()));
            assertThat(s.chunks()).containsExactly(chunks.stream().mapToInt(Integer::intValue).toArray());
            List<Integer> shape = new ArrayList<>();
            m.get("image_shape").forEach(c -> shape.add(c.asInt()));
            assertThat(s.imageShape()).containsExactly(shape.stream().mapToInt(Integer::intValue).toArray());
            assertThat(s.pixelType().dtype()).isEqualTo(m.get("imgdtype").asText());
            assertThat(s.userMetadata()).isEqualTo(Fixtures.toMap(m.get("user_metadata")));
            FrameMetadata fm = s.frameMetadata();
            List<long[]> frames = f.frameNumbers();
            for (int i = 0; i < frames.size(); i++) {
                assertThat(fm.frameNumbers()[i]).isEqualTo(frames.get(i)[1]);
                assertThat(fm.frameTimes()[i]).isEqualTo(f.frameTime(i));
            }
            assertThat(s.createdUtc()).isNotNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void everyFrameInShuffledOrderShowsItsNumber(Fixtures.Store f) {
        List<long[]> frames = new ArrayList<>(f.frameNumbers());
        Collections.shuffle(frames, new Random(42));
        try (ImgStore s = open(f)) {
            for (long[] fr : frames) {
                Frame byNumber = s.getFrame(fr[1]);
                assertThat(byNumber.frameIndex()).isEqualTo(fr[0]);
                assertThat(Barcode.decode(byNumber.image())).as("frame number %d", fr[1]).isEqualTo(Barcode.expected(fr[1]));
                assertThat(byNumber.image().shape()).containsExactly(s.imageShape());
            }
            Collections.shuffle(frames, new Random(7));
            for (long[] fr : frames) {
                Frame byIndex = s.getFrameByIndex(fr[0]);
                assertThat(byIndex.frameNumber()).isEqualTo(fr[1]);
                assertThat(Barcode.decode(byIndex.image())).as("frame index %d", fr[0]).isEqualTo(Barcode.expected(fr[1]));
            }
        }
    }

    /** Lossless stores whose pixels are the drawn barcode itself (not Bayer-encoded). */
    static Stream<Fixtures.Store> losslessStores() {
        return Fixtures.all().stream().filter(f -> f.lossless() && f.manifest().get("encoding").asText("").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losslessStores")
    void losslessFramesMatchTheReferencePixelsExactly(Fixtures.Store f) {
        try (ImgStore s = open(f)) {
            for (long[] fr : f.frameNumbers()) {
                Image got = s.getFrameByIndex(fr[0]).image();
                Image drawn = Barcode.draw(fr[1], got.height(), got.width(), got.channels(), got.pixelType());
                assertThat(got.sameAs(drawn)).as("frame %d pixels", fr[1]).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void sequentialReadsVisitEveryFrameThenEnd(Fixtures.Store f) {
        try (ImgStore s = open(f)) {
            List<long[]> frames = f.frameNumbers();
            for (long[] fr : frames) {
                Frame next = s.nextFrame();
                assertThat(next.frameNumber()).isEqualTo(fr[1]);
                assertThat(Barcode.decode(next.image())).isEqualTo(Barcode.expected(fr[1]));
            }
            assertThatThrownBy(s::nextFrame).isInstanceOf(EndOfStoreException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void extraDataIsWhatWasRecorded(Fixtures.Store f) {
        JsonNode m = f.manifest();
        try (ImgStore s = open(f)) {
            List<Map<String, Object>> rows = s.extraData();
            if (m.has("extra_rows")) {
                assertThat(rows).hasSize(m.get("extra_rows").asInt());
                List<String> cols = new ArrayList<>();
                m.get("extra_columns").forEach(c -> cols.add(c.asText()));
                for (Map<String, Object> r : rows) {
                    assertThat(r.keySet()).containsExactlyInAnyOrderElementsOf(cols);
                    assertThat(((Number) r.get("frame_number")).longValue()).isGreaterThanOrEqualTo(0);
                }
            } else {
                List<Map<String, Object>> expected = new ArrayList<>();
                if (m.has("extra")) {
                    m.get("extra").forEach(e -> expected.add(Fixtures.toMap(e)));
                }
                assertThat(rows).hasSameSizeAs(expected);
                for (int i = 0; i < rows.size(); i++) {
                    assertThat(rows.get(i)).containsAllEntriesOf(expected.get(i));
                }
                assertThat(s.hasExtraData()).isEqualTo(!expected.isEmpty());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void nearestLookupsAgreeWithTheIndex(Fixtures.Store f) {
        try (ImgStore s = open(f)) {
            List<long[]> frames = f.frameNumbers();
            long[] first = frames.get(0);
            assertThat(s.getNearestFrameByTime(f.frameTime(0) - 1000).frameIndex()).isEqualTo(0);
            int last = frames.size() - 1;
            assertThat(s.getNearestFrameByTime(f.frameTime(last) + 1000).frameIndex()).isEqualTo(last);
            assertThat(s.getNearestFrameByTime(f.frameTime(last / 2)).frameIndex()).isEqualTo(last / 2);
            long below = s.frameMin().getAsLong() - 5;
            assertThat(s.getNearestFrame(below).frameNumber()).isEqualTo(s.frameMin().getAsLong());
            assertThatThrownBy(() -> s.getFrame(s.frameMax().getAsLong() + 100000))
                    .isInstanceOf(FrameNotFoundException.class);
            assertThatThrownBy(() -> s.getFrameByIndex(frames.size())).isInstanceOf(FrameNotFoundException.class);
            assertThat(first[0]).isZero();
        }
    }
}
