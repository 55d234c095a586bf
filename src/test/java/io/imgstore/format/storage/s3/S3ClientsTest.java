package io.imgstore.format.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class S3ClientsTest {

    @AfterEach
    void clear() {
        System.clearProperty(S3Clients.PATH_STYLE_PROPERTY);
    }

    @Test
    void pathStyleSwitch() {
        System.setProperty(S3Clients.PATH_STYLE_PROPERTY, "true");
        assertThat(S3Clients.pathStyleFromEnvironment()).isTrue();
        System.setProperty(S3Clients.PATH_STYLE_PROPERTY, " FALSE ");
        assertThat(S3Clients.pathStyleFromEnvironment()).isFalse();
        System.setProperty(S3Clients.PATH_STYLE_PROPERTY, "yes");
        assertThatThrownBy(S3Clients::pathStyleFromEnvironment)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(S3Clients.PATH_STYLE_PROPERTY);
        assertThat(S3Clients.parseBoolean(null, "x")).isFalse();
        assertThat(S3Clients.parseBoolean("", "x")).isFalse();
    }
}
