package io.imgstore.service.ingest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on HTTP uploads (POSTs under {@code /stores} that carry a body), part of
 * {@code imgstore.ingest.*} but kept in their own record so {@link IngestProperties} stays as it is.
 *
 * @param maxConcurrentUploads uploads being processed at once (each holds a Tomcat request thread while it
 *                             reads its body); beyond, {@code 503 /problems/busy} with {@code Retry-After: 1}
 *                             before any of the body is read. Capped at 3/4 of {@code server.tomcat.threads.max},
 *                             so at least a quarter of the request threads always remain for reads
 * @param uploadMinBytes       an upload must send at least this many body bytes ...
 * @param uploadRateWindow     ... in every window of this length, else it is ended with {@code 408}
 *                             ({@code /problems/upload-too-slow}; the frames it completed are kept). {@code 0s}: no check
 */
@Validated
@ConfigurationProperties("imgstore.ingest")
public record UploadLimitProperties(
        @Min(0) @Max(100_000) int maxConcurrentUploads,
        @Min(0) long uploadMinBytes,
        Duration uploadRateWindow) {

    public UploadLimitProperties {
        maxConcurrentUploads = maxConcurrentUploads == 0 ? 32 : maxConcurrentUploads;
        uploadMinBytes = uploadMinBytes == 0 ? 1024 : uploadMinBytes;
        uploadRateWindow = uploadRateWindow == null ? Duration.ofSeconds(10) : uploadRateWindow;
    }

    public static UploadLimitProperties defaults() {
        return new UploadLimitProperties(0, 0, null);
    }
}
