package io.imgstore.service.ops;

import io.imgstore.format.codec.DecodedFrameCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The process's {@link DecodedFrameCache} as meters ({@code /actuator/metrics},
 * {@code /actuator/prometheus}): {@code imgstore.frames.cache.hits} and {@code .misses} (counters; the hit
 * rate of a replica is hits / (hits + misses)), {@code imgstore.frames.cache.bytes} and
 * {@code .capacity} (gauges). Behind a load balancer that routes by store id each replica caches only
 * its own stores' frames; see docs/deployment.md, "Cluster".
 */
@Component
public class FrameCacheMetrics {

    public FrameCacheMetrics(MeterRegistry meters) {
        DecodedFrameCache cache = DecodedFrameCache.shared();
        FunctionCounter.builder("imgstore.frames.cache.hits", cache, DecodedFrameCache::hits)
                .description("decoded video frames served from the frame cache").register(meters);
        FunctionCounter.builder("imgstore.frames.cache.misses", cache, DecodedFrameCache::misses)
                .description("frame cache lookups that had to seek and decode").register(meters);
        Gauge.builder("imgstore.frames.cache.bytes", cache, DecodedFrameCache::bytes).baseUnit("bytes")
                .description("bytes of decoded frames held by the frame cache").register(meters);
        Gauge.builder("imgstore.frames.cache.capacity", cache, DecodedFrameCache::capacity).baseUnit("bytes")
                .description("capacity of the frame cache (-Dimgstore.frameCache.bytes)").register(meters);
    }
}
