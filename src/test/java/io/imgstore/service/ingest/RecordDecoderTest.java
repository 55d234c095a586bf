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
}
