package io.imgstore.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** {@code imgstore.security.*} binds and is validated at start. */
class SecurityPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SecurityProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void bindsNamedTokens() {
        runner.withPropertyValues(
                "imgstore.security.tokens.rig3.value=rig3-token-0123456789",
                "imgstore.security.tokens.rig3.scope=write",
                "imgstore.security.tokens.rig3.path-prefix=rig3/",
                "imgstore.security.tokens.ops.value=ops-token-0123456789",
                "imgstore.security.tokens.ops.scope=ADMIN",
                "imgstore.security.read-only=true",
                "imgstore.security.allowed-origins=https://a.example,https://*.lab.example").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    SecurityProperties p = ctx.getBean(SecurityProperties.class);
                    assertThat(p.tokens()).containsOnlyKeys("rig3", "ops");
                    assertThat(p.tokens().get("rig3").scope()).isEqualTo(TokenScope.WRITE);
                    assertThat(p.tokens().get("rig3").pathPrefix()).isEqualTo("rig3");
                    assertThat(p.tokens().get("ops").scope()).isEqualTo(TokenScope.ADMIN);
                    assertThat(p.readOnly()).isTrue();
                    assertThat(p.protectReads()).isFalse();
                    assertThat(p.allowedOrigins()).containsExactly("https://a.example", "https://*.lab.example");
                });
    }

    @Test
    void defaultsAreNoTokensAndOpenReads() {
        runner.run(ctx -> {
            SecurityProperties p = ctx.getBean(SecurityProperties.class);
            assertThat(p.tokens()).isEmpty();
            assertThat(p.readOnly()).isFalse();
            assertThat(p.allowedOrigins()).isEmpty();
        });
    }

    @Test
    void refusesShortTokensMissingScopesAndBadPrefixes() {
        runner.withPropertyValues("imgstore.security.tokens.a.value=short", "imgstore.security.tokens.a.scope=read")
                .run(ctx -> assertThat(ctx).hasFailed());
        runner.withPropertyValues("imgstore.security.tokens.a.value=long-enough-0123456789")
                .run(ctx -> assertThat(ctx).hasFailed());
        runner.withPropertyValues("imgstore.security.tokens.a.value=long-enough-0123456789",
                "imgstore.security.tokens.a.scope=write", "imgstore.security.tokens.a.path-prefix=rig3/../lab")
                .run(ctx -> assertThat(ctx).hasFailed());
        runner.withPropertyValues("imgstore.security.tokens.a.value=long-enough-0123456789",
                "imgstore.security.tokens.a.scope=owner").run(ctx -> assertThat(ctx).hasFailed());
    }
}
