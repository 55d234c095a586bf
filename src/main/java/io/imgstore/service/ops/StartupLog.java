package io.imgstore.service.ops;

import io.imgstore.service.catalog.RootStorage;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.ingest.IngestSessions;
import io.imgstore.service.ingest.WriterLimit;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * One INFO block once the service is ready (web server listening, stores recovered): the URL(s) it
 * serves, the absolute store root, how many stores it found there and whether it can write there.
 * When bound to every interface (the default), each non-loopback interface address is listed too, so
 * the operator sees what the rigs should use.
 */
@Component
public class StartupLog {

    private static final Logger LOG = LoggerFactory.getLogger(StartupLog.class);

    private final StoreCatalog catalog;
    private final RootStorage storage;
    private final StoreRootHealth rootHealth;
    private final Environment env;
    private final WriterLimit writerLimit;

    public StartupLog(StoreCatalog catalog, RootStorage storage, StoreRootHealth rootHealth, Environment env,
            WriterLimit writerLimit) {
        this.catalog = catalog;
        this.storage = storage;
        this.rootHealth = rootHealth;
        this.env = env;
        this.writerLimit = writerLimit;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void ready() {
        String port = env.getProperty("local.server.port");
        if (port == null || "-1".equals(port)) {
            return; // no web server (a CLI command or a mock-MVC test)
        }
        LOG.info(message(Integer.parseInt(port)));
    }

    /** The block logged at start (public for tests of other packages). */
    public String message(int port) {
        String contextPath = env.getProperty("server.servlet.context-path", "");
        String path = (contextPath.endsWith("/") ? contextPath : contextPath + "/");
        StringBuilder b = new StringBuilder("imgstore is ready\n");
        List<String> urls = urls(env.getProperty("server.address"), port, path);
        for (int i = 0; i < urls.size(); i++) {
            b.append(i == 0 ? "  serving   " : "            ").append(urls.get(i)).append('\n');
        }
        int stores = catalog.list().size();
        StoreRootHealth.Probe probe = rootHealth.probe();
        if (storage.isLocal()) {
            b.append("  root      ").append(catalog.root()).append(" (").append(stores)
                    .append(stores == 1 ? " store" : " stores").append(probe.writable() ? ", writable)"
                            : ", NOT writable by uid " + probe.uid() + ": " + probe.problem() + ")");
        } else {
            b.append("  root      ").append(storage.location()).append(" (object storage, ").append(stores)
                    .append(stores == 1 ? " store" : " stores").append(", read-only")
                    .append(probe.problem() == null ? ")" : "; " + probe.problem() + ")");
        }
        long budget = writerLimit.nativeBudget();
        if (budget != Long.MAX_VALUE) {
            long hd = writerLimit.nativeBytes(IngestSessions.specOf(new io.imgstore.service.ingest.CreateStoreRequest(
                    "x", "avc1/mp4", List.of(1200, 1920), null, null, null, null)));
            b.append("\n  writers   native memory budget ").append(budget >> 20).append(" MB: room for ")
                    .append(budget / hd).append(" 1920x1200 video writer(s) (imgstore.ingest.writers.*)");
        }
        return b.toString();
    }

    /** http://localhost:PORT/ first; with a wildcard (or no) bind address, every non-loopback interface address. */
    static List<String> urls(String bindAddress, int port, String path) {
        List<String> urls = new ArrayList<>();
        boolean wildcard = bindAddress == null || bindAddress.isBlank() || bindAddress.equals("0.0.0.0")
                || bindAddress.equals("::") || bindAddress.equals("[::]");
        if (!wildcard) {
            try {
                InetAddress a = InetAddress.getByName(bindAddress);
                if (!a.isLoopbackAddress()) {
                    urls.add(url(a, port, path));
                    return urls;
                }
            } catch (java.net.UnknownHostException e) {
                urls.add("http://" + bindAddress + ":" + port + path);
                return urls;
            }
        }
        urls.add("http://localhost:" + port + path);
        if (wildcard) {
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (!ni.isUp() || ni.isLoopback()) {
                        continue;
                    }
                    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                        if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                            urls.add(url(a, port, path));
                        }
                    }
                }
            } catch (SocketException e) {
                // no interface list: localhost only
            }
        }
        return urls;
    }

    private static String url(InetAddress a, int port, String path) {
        String host = a.getHostAddress();
        if (a instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = (zone >= 0 ? host.substring(0, zone) : host).replaceFirst("(^|:)(0(:|$)){2,}", "::");
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port + path;
    }
}
