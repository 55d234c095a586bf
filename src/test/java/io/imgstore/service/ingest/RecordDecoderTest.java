package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.PixelType;
import io.imgstore.testing.Barcode;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {

    private final BufferBudget budget = new BufferBudget(1 << 20);

    private RecordDecoder decoder() {
        return new RecordDecoder(new int[] {48, 64}, PixelType.UINT8, 4096, 1 << 20, budget);
    }

    @Test
    void parsesRecordsFromAStreamAndGivesBackTheBudgetWhenFramesAreReleased() throws Exception {
        byte[] body = Records.concat(Records.frames(0, 3, 48, 64, 1),
                Records.raw(3, 7.5, 48, 64, 1, Map.of("temp", 21.5)));
        List<FrameRecord> got = new ArrayList<>();
        decoder().readFrom(new ByteArrayInputStream(body), got::add);
        assertThat(got).hasSize(4);
        assertThat(got.get(3).frameNumber()).isEqualTo(3);
        assertThat(got.get(3).frameTime()).isEqualTo(7.5);
        assertThat(got.get(3).extra()).containsEntry("temp", 21.5);
        for (FrameRecord r : got) {
            assertThat(Barcode.decode(r.image())).isEqualTo(Barcode.expected(r.frameNumber()));
            budget.release(r.heldBytes());
        }
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void acceptsFragmentsOfAnySize() throws Exception {
        byte[] body = Records.frames(10, 13, 48, 64, 1);
        List<FrameRecord> got = new ArrayList<>();
        RecordDecoder d = decoder();
        for (int i = 0; i < body.length; i += 7) {
            d.feed(ByteBuffer.wrap(body, i, Math.min(7, body.length - i)), got::add);
        }
        assertThat(d.atBoundary()).isTrue();
        assertThat(got).extracting(FrameRecord::frameNumber).containsExactly(10L, 11L, 12L);
    }

    @Test
    void shortPayloadIsMalformedAndFramesBeforeItWereDelivered() {
        byte[] full = Records.frames(0, 2, 48, 64, 1);
        byte[] body = java.util.Arrays.copyOf(full, full.length - 10);
        List<FrameRecord> got = new ArrayList<>();
        RecordDecoder d = decoder();
        assertThatThrownBy(() -> d.readFrom(new ByteArrayInputStream(body), got::add))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("record 1");
        assertThat(got).hasSize(1);
        d.abort();
        budget.release(got.get(0).heldBytes());
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void rejectsBadHeaders() {
        RecordDecoder d = decoder();
        byte[] badJson = Records.record("{not json".getBytes(), new byte[48 * 64]);
        assertThatThrownBy(() -> d.readFrom(new ByteArrayInputStream(badJson), r -> { }))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not valid JSON");
        byte[] noNumber = Records.record(Map.of("frame_time", 1.0), new byte[48 * 64]);
        assertThatThrownBy(() -> decoder().readFrom(new ByteArrayInputStream(noNumber), r -> { }))
                .hasMessageContaining("frame_number");
        byte[] wrongSize = Records.record(Records.header(1, 1, null, "raw", 100), new byte[100]);
        assertThatThrownBy(() -> decoder().readFrom(new ByteArrayInputStream(wrongSize), r -> { }))
                .hasMessageContaining("payload_length 100");
        byte[] hugeHeader = ByteBuffer.allocate(8).putInt(1 << 30).array();
        assertThatThrownBy(() -> decoder().readFrom(new ByteArrayInputStream(hugeHeader), r -> { }))
                .hasMessageContaining("header length");
        byte[] unknownPayload = Records.record(Records.header(1, 1, null, "gif", 10), new byte[10]);
        assertThatThrownBy(() -> decoder().readFrom(new ByteArrayInputStream(unknownPayload), r -> { }))
                .hasMessageContaining("unknown payload");
    }

    // ---- limits and validation ----

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static byte[] headerOnly(String json) {
        byte[] h = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + h.length).putInt(h.length).put(h).array();
    }

    @Test
    void aStoreWhoseFramesExceedMaxFrameBytesTakesNoRecordAndAllocatesNothing() {
        BufferBudget b = new BufferBudget(256L << 20);
        RecordDecoder d = new RecordDecoder(new int[] {16384, 16384, 3}, PixelType.UINT16, 65536, 512L << 20,
                256L << 20, 1 << 20, b);
        byte[] header = headerOnly("{\"frame_number\": 0, \"frame_time\": 1.0, \"payload_length\": "
                + (16384L * 16384 * 3 * 2) + "}");
        long before = allocatedBytes();
        assertThatThrownBy(() -> d.readFrom(new ByteArrayInputStream(header), r -> { }))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("max-frame-bytes");
        assertThat(allocatedBytes() - before).isLessThan(8L << 20);
        assertThat(b.heldBytes()).isZero();
    }

    @Test
    void aHugePayloadLengthIsMalformedBeforeAnyAllocation() {
        for (String kind : List.of("png", "jpeg", "raw")) {
            byte[] header = headerOnly("{\"frame_number\": 0, \"payload\": \"" + kind
                    + "\", \"payload_length\": 1099511627776}");
            long before = allocatedBytes();
            RecordDecoder d = decoder();
            assertThatThrownBy(() -> d.readFrom(new ByteArrayInputStream(header), r -> { }))
                    .as(kind).isInstanceOf(MalformedRecordException.class).hasMessageContaining("payload_length 1099511627776");
            assertThat(allocatedBytes() - before).isLessThan(8L << 20);
            assertThat(budget.heldBytes()).isZero();
        }
        // above max-frame-bytes (but below max-payload-bytes): malformed too
        RecordDecoder small = new RecordDecoder(new int[] {48, 64}, PixelType.UINT8, 4096, 1 << 20, 10_000, 1 << 20, budget);
        byte[] png = headerOnly("{\"frame_number\": 0, \"payload\": \"png\", \"payload_length\": 10001}");
        assertThatThrownBy(() -> small.readFrom(new ByteArrayInputStream(png), r -> { }))
                .hasMessageContaining("max-frame-bytes");
    }

    @Test
    void theBudgetIsReservedBeforeThePayloadIsAllocatedAndGivenBackOnAbort() throws Exception {
        BufferBudget b = new BufferBudget(1 << 20);
        RecordDecoder d = new RecordDecoder(new int[] {48, 64}, PixelType.UINT8, 4096, 1 << 20, b);
        byte[] rec = Records.raw(1, 1.0, 48, 64, 1, null);
        d.feed(ByteBuffer.wrap(rec, 0, rec.length - 100), r -> { });
        assertThat(b.heldBytes()).isEqualTo(48 * 64 / 1024 * 1024);
        d.abort();
        assertThat(b.heldBytes()).isZero();
    }

    /** A stream of two good frames, then a record with this header (and a raw-sized payload), then one more frame. */
    private List<FrameRecord> feedWithBadThird(String badHeaderJson, String expectedMessage) {
        byte[] body = Records.concat(Records.frames(0, 2, 48, 64, 1),
                Records.record(badHeaderJson.getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[48 * 64]),
                Records.frames(3, 4, 48, 64, 1));
        List<FrameRecord> got = new ArrayList<>();
        RecordDecoder d = decoder();
        assertThatThrownBy(() -> d.readFrom(new ByteArrayInputStream(body), got::add))
                .as(badHeaderJson).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("record 2").hasMessageContaining(expectedMessage);
        d.abort();
        assertThat(got).extracting(FrameRecord::frameNumber).containsExactly(0L, 1L);
        got.forEach(r -> budget.release(r.heldBytes()));
        assertThat(budget.heldBytes()).isZero();
        return got;
    }

    @Test
    void frameNumbersMustBeIntegersThatFitInt64() {
        String len = ", \"payload_length\": 3072}";
        feedWithBadThird("{\"frame_number\": 1e30, \"frame_time\": 1.0" + len, "frame_number");
        feedWithBadThird("{\"frame_number\": 18446744073709551616, \"frame_time\": 1.0" + len, "frame_number");
        feedWithBadThird("{\"frame_number\": 9223372036854775808, \"frame_time\": 1.0" + len, "frame_number");
        feedWithBadThird("{\"frame_number\": 1.5, \"frame_time\": 1.0" + len, "frame_number");
        feedWithBadThird("{\"frame_number\": \"5\", \"frame_time\": 1.0" + len, "frame_number");
        feedWithBadThird("{\"frame_number\": null, \"frame_time\": 1.0" + len, "frame_number");
        feedWithBadThird("{\"frame_number\": 1e400, \"frame_time\": 1.0" + len, "frame_number");
    }

    @Test
    void frameTimesMustBeFinite() {
        String len = ", \"payload_length\": 3072}";
        feedWithBadThird("{\"frame_number\": 2, \"frame_time\": 1e400" + len, "frame_time");
        feedWithBadThird("{\"frame_number\": 2, \"frame_time\": -1e400" + len, "frame_time");
        feedWithBadThird("{\"frame_number\": 2, \"frame_time\": \"1.0\"" + len, "frame_time");
        // Python's json.dumps(float('nan')) writes NaN, which is not JSON
        feedWithBadThird("{\"frame_number\": 2, \"frame_time\": NaN" + len, "not valid JSON");
        feedWithBadThird("{\"frame_number\": 2, \"frame_time\": Infinity" + len, "not valid JSON");
    }

    @Test
    void extremeButValidNumbersAreKeptExactly() throws Exception {
        List<FrameRecord> got = new ArrayList<>();
        RecordDecoder d = decoder();
        for (String n : List.of("9223372036854775807", "-9223372036854775808", "5.0", "-3", "1e3")) {
            byte[] rec = Records.record(("{\"frame_number\": " + n + ", \"frame_time\": 1.7976931348623157e308, "
                    + "\"payload_length\": 3072}").getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[3072]);
            d.readFrom(new ByteArrayInputStream(rec), got::add);
        }
        assertThat(got).extracting(FrameRecord::frameNumber)
                .containsExactly(Long.MAX_VALUE, Long.MIN_VALUE, 5L, -3L, 1000L);
        assertThat(got).extracting(FrameRecord::frameTime).containsOnly(Double.MAX_VALUE);
        got.forEach(r -> budget.release(r.heldBytes()));
    }

    @Test
    void rawRecordsNeedAPayloadLengthEqualToTheStoresFrameSize() {
        feedWithBadThird("{\"frame_number\": 2, \"frame_time\": 1.0}", "needs \"payload_length\" (3072");
        feedWithBadThird("{\"frame_number\": 2, \"payload_length\": 3000}", "payload_length 3000");
        feedWithBadThird("{\"frame_number\": 2, \"payload_length\": -1}", "payload_length");
        feedWithBadThird("{\"frame_number\": 2, \"payload_length\": 3072.5}", "payload_length");
        feedWithBadThird("{\"frame_number\": 2, \"payload_length\": 3072, \"shape\": [64, 48]}", "shape");
        feedWithBadThird("{\"frame_number\": 2, \"payload_length\": 3072, \"shape\": [48, 64, 3]}", "shape");
        feedWithBadThird("{\"frame_number\": 2, \"payload_length\": 3072, \"shape\": \"48x64\"}", "shape");
        feedWithBadThird("{\"frame_number\": 2, \"payload\": 7, \"payload_length\": 3072}", "payload");
    }

    @Test
    void aMatchingShapeIsAccepted() throws Exception {
        List<FrameRecord> got = new ArrayList<>();
        for (String shape : List.of("[48, 64]", "[48, 64, 1]")) {
            byte[] rec = Records.record(("{\"frame_number\": 7, \"payload_length\": 3072, \"shape\": " + shape + "}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[3072]);
            decoder().readFrom(new ByteArrayInputStream(rec), got::add);
        }
        assertThat(got).extracting(FrameRecord::frameNumber).containsExactly(7L, 7L);
        got.forEach(r -> budget.release(r.heldBytes()));
    }

    @Test
    void aRawRecordOfTheWrongSizeFollowedByMoreRecordsIsNeverStored() {
        // a rig sends a 40x64 frame (honest payload_length) into a 48x64 store, then good frames
        byte[] small = Records.record(Records.header(2, 1.0, null, null, 40 * 64), new byte[40 * 64]);
        byte[] body = Records.concat(Records.frames(0, 2, 48, 64, 1), small, Records.frames(3, 10, 48, 64, 1));
        List<FrameRecord> got = new ArrayList<>();
        RecordDecoder d = decoder();
        assertThatThrownBy(() -> d.readFrom(new ByteArrayInputStream(body), got::add))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("payload_length 2560");
        assertThat(got).extracting(FrameRecord::frameNumber).containsExactly(0L, 1L);
        d.abort();
        got.forEach(r -> budget.release(r.heldBytes()));
    }

    @Test
    void extraLargerThanTheLimitIsMalformed() {
        RecordDecoder d = new RecordDecoder(new int[] {48, 64}, PixelType.UINT8, 65536, 1 << 20, 1 << 20, 100, budget);
        String big = "x".repeat(200);
        byte[] rec = Records.record(Records.header(1, 1.0, Map.of("note", big), null, 3072), new byte[3072]);
        assertThatThrownBy(() -> d.readFrom(new ByteArrayInputStream(rec), r -> { }))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("max-extra-data-bytes");
        d.abort();
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void frameNumbersAndTimesAsText() {
        assertThat(RecordDecoder.frameNumber("42", "")).isEqualTo(42);
        assertThat(RecordDecoder.frameNumber(" -9223372036854775808 ", "")).isEqualTo(Long.MIN_VALUE);
        assertThat(RecordDecoder.frameNumber("7.0", "")).isEqualTo(7);
        for (String bad : List.of("1e30", "18446744073709551616", "1.5", "abc", "", "NaN", "0x10")) {
            assertThatThrownBy(() -> RecordDecoder.frameNumber(bad, "X-Frame-Number: "))
                    .as(bad).isInstanceOf(MalformedRecordException.class);
        }
        assertThat(RecordDecoder.frameTime("1700000000.25", "")).isEqualTo(1700000000.25);
        for (String bad : List.of("NaN", "Infinity", "-Infinity", "1e400", "x", "")) {
            assertThatThrownBy(() -> RecordDecoder.frameTime(bad, "X-Frame-Time: "))
                    .as(bad).isInstanceOf(MalformedRecordException.class);
        }
    }

    @Test
    void frameBytesIsOverflowSafe() {
        assertThat(RecordDecoder.frameBytes(new int[] {16384, 16384, 3}, PixelType.UINT16)).isEqualTo(1_610_612_736L);
        assertThatThrownBy(() -> RecordDecoder.frameBytes(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE},
                PixelType.UINT16)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void encodedPayloadsMustBePngOrJpegOfTheStoresSizeByTheirHeaders() {
        byte[] bomb = io.imgstore.format.codec.EncodedImagesTest.pngClaiming(30000, 30000);
        byte[] rec = Records.record(Records.header(1, 1.0, null, "png", bomb.length), bomb);
        long before = allocatedBytes();
        assertThatThrownBy(() -> decoder().readFrom(new ByteArrayInputStream(rec), r -> { }))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("30000x30000");
        assertThat(allocatedBytes() - before).isLessThan(8L << 20);
        byte[] ppm = "P6 30000 30000 255\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] rec2 = Records.record(Records.header(1, 1.0, null, "png", ppm.length), ppm);
        assertThatThrownBy(() -> decoder().readFrom(new ByteArrayInputStream(rec2), r -> { }))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not a png or jpeg");
        assertThat(budget.heldBytes()).isZero();
    }
}
