package io.imgstore.service.ingest;

import io.imgstore.format.WriterLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sets the library's lease policy from {@link ClusterProperties} when the context starts: singletons are
 * built before the web server takes requests, so every writer of the service uses it.
 */
@Component
public class ClusterLeases {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLeases.class);

    public ClusterLeases(ClusterProperties props) {
        WriterLeases.configure(props.policy());
        LOG.debug("writer leases: {}", props.policy());
    }
}
