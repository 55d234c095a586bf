package io.imgstore.service.bulk;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * At most {@code imgstore.bulk.streams} bulk streams decode at once; one more is refused at once
 * ({@link RejectedExecutionException}: {@code 503} with {@code Retry-After}). A stream decodes on
 * the request's own thread and writes each frame as it is decoded, so a slow client slows the
 * decoding (back-pressure) and memory stays at one frame per stream.
 *
 * <p>Metric: {@code imgstore.bulk.streams.active}.
 */
@Component
public class BulkStreams {

    private final Semaphore permits;
    private final int capacity;

    public BulkStreams(BulkProperties properties, MeterRegistry meters) {
        this.capacity = properties.streams();
        this.permits = new Semaphore(capacity);
        Gauge.builder("imgstore.bulk.streams.active", permits, p -> capacity - p.availablePermits())
                .description("bulk streams decoding").register(meters);
    }

    /** A permit to stream; close it when the stream ends. */
    public Permit acquire() {
        if (!permits.tryAcquire()) {
            throw new RejectedExecutionException("all " + capacity + " bulk streams (imgstore.bulk.streams) are busy");
        }
        return new Permit();
    }

    /** A running stream's permit. */
    public final class Permit implements AutoCloseable {
        private boolean released;

        private Permit() {
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                permits.release();
            }
        }
    }
}
