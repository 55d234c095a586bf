package io.imgstore.service.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** {@code imgstore.frames.*}: defaults, binding, and refusal of nonsense at start. */
class FrameWorkerPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(FrameWorkerProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void defaults() {
        runner.run(ctx -> {
            FrameWorkerProperties p = ctx.getBean(FrameWorkerProperties.class);
            assertThat(p.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(p.queueCapacity()).isEqualTo(64);
            assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.jpegQuality()).isEqualTo(90);
            assertThat(p.maxDimension()).isEqualTo(8192);
            assertThat(p.cacheMaxAge()).isEqualTo(Duration.ofDays(365));
        });
    }

    @Test
    void binds() {
        runner.withPropertyValues("imgstore.frames.workers=3", "imgstore.frames.queue-capacity=0",
                "imgstore.frames.timeout=2s", "imgstore.frames.jpeg-quality=75", "imgstore.frames.max-dimension=1024",
                "imgstore.frames.cache-max-age=1h").run(ctx -> {
                    FrameWorkerProperties p = ctx.getBean(FrameWorkerProperties.class);
                    assertThat(p).isEqualTo(new FrameWorkerProperties(3, 0, Duration.ofSeconds(2), 75, 1024,
                            Duration.ofHours(1)));
                });
    }

    @Test
    void refusesNonsenseAtStart() {
        for (String bad : new String[] {"imgstore.frames.workers=0", "imgstore.frames.queue-capacity=-1",
                "imgstore.frames.jpeg-quality=101", "imgstore.frames.max-dimension=0", "imgstore.frames.workers=many"}) {
            runner.withPropertyValues(bad).run(ctx -> assertThat(ctx).as(bad).hasFailed());
        }
    }
}
