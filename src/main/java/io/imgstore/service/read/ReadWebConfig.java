package io.imgstore.service.read;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Encoded slashes ({@code %2F}) in a path reach the application still encoded (Tomcat would
 * otherwise refuse them with an HTML error page): a store id like {@code ..%2F..%2Fetc} is then
 * decoded as one id and refused with a problem+json {@code 404} by {@link io.imgstore.service.catalog.StoreIds}.
 *
 * <p>The read API may be used from pages served elsewhere (lab notebooks, dashboards): GET/HEAD from
 * any origin, with the frame headers readable by scripts.
 */
@Configuration(proxyBeanMethods = false)
class ReadWebConfig implements WebMvcConfigurer {

    @Bean
    TomcatConnectorCustomizer encodedSlashesStayInTheirSegment() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/stores/**")
                .allowedOrigins("*")
                .allowedMethods("GET", "HEAD")
                .exposedHeaders(FrameController.FRAME_NUMBER, FrameController.FRAME_INDEX, FrameController.FRAME_TIME,
                        "ETag", Paging.TOTAL_COUNT, "Link");
    }
}
