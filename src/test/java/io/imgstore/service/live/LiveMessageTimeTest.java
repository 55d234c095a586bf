package io.imgstore.service.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Live messages write frame_time as the rest of the API does (plain, round-trip digits). */
class LiveMessageTimeTest {

    private static String header(ByteBuffer b) {
        int n = b.getInt();
        byte[] h = new byte[n];
        b.get(h);
        return new String(h, StandardCharsets.UTF_8);
    }

    @Test
    void frameTimeHasNoExponent() {
        String h = header(LiveWebSocketHandler.record(7, 1.7959645260282264E9, 3, new byte[] {1, 2}));
        assertThat(h).contains("\"frame_time\":1795964526.0282264,").doesNotContain("E9");
        assertThat(h).contains("\"frame_number\":7").contains("\"payload_length\":2");
    }
}
