package io.imgstore.service.viewer;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The browser viewer's settings: {@code imgstore.viewer.*}.
 *
 * @param singleStore id of the only store this server shows ({@code imgstore view <store>}); null
 *                    for the normal service, which lists every store under the root
 */
@ConfigurationProperties("imgstore.viewer")
public record ViewerProperties(String singleStore) {

    public ViewerProperties {
        singleStore = singleStore == null || singleStore.isBlank() ? null : singleStore;
    }
}
