package io.imgstore.service.read;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The read API may be used from pages served elsewhere (lab notebooks, dashboards): GET/HEAD from
 * any origin, with the frame headers readable by scripts.
 */
@Configuration(proxyBeanMethods = false)
class ReadWebConfig implements WebMvcConfigurer {

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/stores/**")
                .allowedOrigins("*")
                .allowedMethods("GET", "HEAD")
                .exposedHeaders(FrameController.FRAME_NUMBER, FrameController.FRAME_INDEX, FrameController.FRAME_TIME,
                        "ETag", StoreController.TOTAL_COUNT, "Link");
    }
}
