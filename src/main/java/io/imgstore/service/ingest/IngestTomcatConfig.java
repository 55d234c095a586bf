package io.imgstore.service.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Uploads bounded ({@link UploadLimitValve}: at most {@code imgstore.ingest.max-concurrent-uploads}
 * at once, never more than 3/4 of {@code server.tomcat.threads.max}, so reads always keep a quarter
 * of the request threads; {@link UploadRateFilter}: a minimum body data rate), and larger socket
 * buffers for frames in both directions: Tomcat's default of 8 KiB means ~300 reads for one 1920x1200
 * frame pushed, and ~300 writes for one served; 64 KiB cuts that tenfold (a frame served from the
 * decoded-frame cache as npy, 2.3 MB: median 5.3-5.6 ms with 8 KiB vs 3.3-4.2 ms with 64 KiB,
 * docs/performance.md). The buffers are per connection, so memory stays small.
 */
@Configuration(proxyBeanMethods = false)
public class IngestTomcatConfig {

    private static final Logger LOG = LoggerFactory.getLogger(IngestTomcatConfig.class);

    @Bean
    UploadLimitValve uploadLimitValve(UploadLimitProperties props, Environment env,
                                      io.micrometer.core.instrument.MeterRegistry meters) {
        int threads = env.getProperty("server.tomcat.threads.max", Integer.class, 200);
        int cap = Math.max(1, threads * 3 / 4);
        int permits = Math.min(props.maxConcurrentUploads(), cap);
        if (permits < props.maxConcurrentUploads()) {
            LOG.warn("imgstore.ingest.max-concurrent-uploads={} leaves too few of the {} request threads for reads; using {}",
                    props.maxConcurrentUploads(), threads, permits);
        }
        UploadLimitValve valve = new UploadLimitValve(permits);
        io.micrometer.core.instrument.Gauge.builder("imgstore.ingest.uploads.active", valve, UploadLimitValve::inUse)
                .description("HTTP uploads being processed (at most max-concurrent-uploads)").register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("imgstore.ingest.uploads.rejected", valve,
                UploadLimitValve::rejected).description("HTTP uploads refused with 503 (too many at once)").register(meters);
        return valve;
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> uploadLimit(UploadLimitValve valve) {
        return factory -> factory.addEngineValves(valve);
    }

    @Bean
    FilterRegistrationBean<UploadRateFilter> uploadRateFilter(UploadLimitProperties props) {
        FilterRegistrationBean<UploadRateFilter> r = new FilterRegistrationBean<>(new UploadRateFilter(props));
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        r.addUrlPatterns("/stores", "/stores/*");
        return r;
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> frameSocketBuffers() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", "65536");
            connector.setProperty("socket.appWriteBufSize", "65536");
        });
    }
}
