package io.imgstore.service.ingest;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How many stores may be open for writing at once: {@code imgstore.ingest.writers.*} (docs/deployment.md,
 * "Memory"). A video writer's encoder holds native memory outside the heap (measured by
 * {@code io.imgstore.bench.NativeMemoryBench}); beyond the container's memory limit the kernel kills the
 * whole service, so new stores are refused first (503 {@code /problems/busy}, {@code Retry-After}).
 *
 * @param maxOpen            most stores open for writing at once, any format; 0: no count limit
 * @param nativeBudget       native memory all open video writers may use together; unset: derived from the
 *                           container's memory limit (cgroup {@code memory.max}) minus the heap's maximum minus
 *                           {@code nativeReserve}; no limit where there is no container limit
 * @param nativeReserve      native memory kept for everything else (JVM metaspace, threads, code cache, frame
 *                           decoders of reads, the codec libraries themselves) when the budget is derived
 * @param videoWriterBase    native memory of one open video writer regardless of its frame size
 * @param videoWriterPerPixel native bytes of one open video writer per pixel of its frames (height x width)
 */
@Validated
@ConfigurationProperties("imgstore.ingest.writers")
public record WriterLimitProperties(
        @DefaultValue("0") @Min(0) int maxOpen,
        DataSize nativeBudget,
        @DefaultValue("160MB") DataSize nativeReserve,
        @DefaultValue("4MB") DataSize videoWriterBase,
        @DefaultValue("12") @Min(0) int videoWriterPerPixel) {
}
