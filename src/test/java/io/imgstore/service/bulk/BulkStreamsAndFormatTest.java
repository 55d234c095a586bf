package io.imgstore.service.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.service.web.BadRequestException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.web.HttpMediaTypeNotAcceptableException;

class BulkStreamsAndFormatTest {

    @Test
    void streamsBeyondTheLimitAreRefusedAtOnceAndPermitsComeBack() {
        BulkStreams streams = new BulkStreams(new BulkProperties(null, 2, null, null, null, null), new SimpleMeterRegistry());
        BulkStreams.Permit a = streams.acquire();
        BulkStreams.Permit b = streams.acquire();
        assertThatThrownBy(streams::acquire).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("imgstore.bulk.streams");
        a.close();
        a.close(); // idempotent: does not free a second permit
        streams.acquire();
        assertThatThrownBy(streams::acquire).isInstanceOf(RejectedExecutionException.class);
        b.close();
    }

    @Test
    void formatByQueryThenAccept() throws Exception {
        assertThat(BulkFormat.resolve(null, null)).isEqualTo(BulkFormat.RECORDS);
        assertThat(BulkFormat.resolve(null, "*/*")).isEqualTo(BulkFormat.RECORDS);
        assertThat(BulkFormat.resolve(null, "application/x-npy")).isEqualTo(BulkFormat.NPY);
        assertThat(BulkFormat.resolve(null, "application/x-npz")).isEqualTo(BulkFormat.NPZ);
        assertThat(BulkFormat.resolve(null, "application/zip;q=0.9, application/x-npy;q=0.5")).isEqualTo(BulkFormat.NPZ);
        assertThat(BulkFormat.resolve("npz", "application/x-npy")).isEqualTo(BulkFormat.NPZ);
        assertThat(BulkFormat.resolve("frames", null)).isEqualTo(BulkFormat.RECORDS);
        assertThatThrownBy(() -> BulkFormat.resolve("gif", null)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> BulkFormat.resolve(null, "image/png"))
                .isInstanceOf(HttpMediaTypeNotAcceptableException.class);
    }
}
