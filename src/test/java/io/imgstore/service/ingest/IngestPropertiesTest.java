package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestPropertiesTest {

    @Test
    void defaultsIncludeTheLimits() {
        IngestProperties p = IngestProperties.defaults();
        assertThat(p.maxHeaderBytes()).isEqualTo(64 * 1024);
        assertThat(p.maxPayloadBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(p.maxBufferedBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(p.maxFrameBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(p.maxExtraDataBytes()).isEqualTo(1024L * 1024);
        assertThat(p.maxExtraDataBytesPerChunk()).isEqualTo(64L * 1024 * 1024);
        assertThat(p.queueFrames()).isEqualTo(2);
        assertThat(p.tokenRequired()).isFalse();
    }

    @Test
    void aFrameLargerThanTheWholeBudgetIsHeldAloneAndGivenBack() throws Exception {
        BufferBudget b = new BufferBudget(1 << 20);
        long held = b.acquire(4L << 20);
        assertThat(b.heldBytes()).isEqualTo(1 << 20);
        b.release(held);
        assertThat(b.heldBytes()).isZero();
    }
}
