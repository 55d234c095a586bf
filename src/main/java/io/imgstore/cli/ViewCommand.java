package io.imgstore.cli;

import io.imgstore.ImgstoreApplication;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.StoreLocations;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.service.catalog.StoreIds;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imgstore view <store>}: the replacement for Python's {@code imgstore-view}. Serves that one
 * store with the browser viewer, prints the viewer's URL and, where a desktop exists, opens it.
 * Runs until interrupted (Ctrl+C).
 */
@Command(name = "view", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = "Serve one store with the browser viewer and open it (the replacement for imgstore-view).")
public final class ViewCommand implements Callable<Integer> {

    @Parameters(paramLabel = "STORE",
            description = "the store: its folder or its metadata.yaml, or s3://bucket/prefix/store (object storage)")
    String store;

    @Option(names = "--port", defaultValue = "0", description = "HTTP port (default: any free port)")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String bind;

    @Option(names = "--no-browser", description = "only print the URL, do not open a browser")
    boolean noBrowser;

    @Spec
    CommandSpec spec;

    /** A running viewer server. */
    public record Running(ConfigurableApplicationContext context, String url, String storeId) implements AutoCloseable {
        @Override
        public void close() {
            context.close();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Running running = StoreLocations.isS3(store) ? startS3(store, port, bind) : start(Path.of(store), port, bind);
        CountDownLatch closed = new CountDownLatch(1);
        running.context().addApplicationListener(e -> {
            if (e instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        out.println("imgstore view: " + (StoreLocations.isS3(store) ? store : storeDir(Path.of(store))) + " at " + running.url() + "  (Ctrl+C to stop)");
        out.flush();
        if (!noBrowser && !openBrowser(running.url())) {
            out.println("(no desktop found: open the URL in a browser)");
            out.flush();
        }
        closed.await();
        return 0;
    }

    /** The store folder for a folder or a metadata.yaml path. */
    static Path storeDir(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (Files.isRegularFile(p) && p.getFileName().toString().equals(StoreLayout.METADATA_FILE)) {
            p = p.getParent();
        }
        return p;
    }

    /**
     * Starts the service on the store's parent folder, showing only that store.
     *
     * @throws IllegalArgumentException when the path is not a store
     */
    public static Running start(Path path, int port, String bind) throws IOException {
        Path dir = storeDir(path);
        if (!Files.isRegularFile(StoreLayout.metadataFile(dir))) {
            throw new IllegalArgumentException(path + " is not an imgstore (no metadata.yaml)");
        }
        Path root = dir.getParent();
        if (root == null) {
            throw new IllegalArgumentException("cannot serve a store at the file-system root: " + dir);
        }
        return start(root.toString(), dir.getFileName().toString(), port, bind);
    }

    /**
     * Starts the service on the store's parent prefix in object storage ({@code s3://bucket/a/store}:
     * root {@code s3://bucket/a}), showing only that store; S3 settings from the SDK's standard
     * configuration and {@code IMGSTORE_S3_PATH_STYLE_ACCESS}.
     *
     * @throws IllegalArgumentException for a malformed location or a store at the bucket's top
     */
    public static Running startS3(String location, int port, String bind) throws IOException {
        String text = location.endsWith("/" + StoreLayout.METADATA_FILE)
                ? location.substring(0, location.length() - StoreLayout.METADATA_FILE.length() - 1) : location;
        S3Location loc = S3Location.parse(text);
        int slash = loc.prefix().lastIndexOf('/');
        if (loc.prefix().isEmpty()) {
            throw new IllegalArgumentException("a bucket is not a store: " + loc + " (give the store's prefix)");
        }
        String parent = "s3://" + loc.bucket() + (slash < 0 ? "" : "/" + loc.prefix().substring(0, slash));
        return start(parent, loc.prefix().substring(slash + 1), port, bind);
    }

    private static Running start(String root, String name, int port, String bind) throws IOException {
        String id = StoreIds.idFor(name);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("imgstore.root", root);
        props.put("imgstore.demo", "false");
        props.put("imgstore.viewer.single-store", id);
        props.put("server.port", Integer.toString(port));
        props.put("server.address", bind);
        props.put("spring.main.banner-mode", "off");
        props.put("spring.main.log-startup-info", "false");
        props.put("logging.level.root", "WARN");
        SpringApplication app = new SpringApplication(ImgstoreApplication.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        ConfigurableApplicationContext ctx = app.run(props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        String actualPort = ctx.getEnvironment().getProperty("local.server.port", Integer.toString(port));
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : bind.contains(":") ? "[" + bind + "]" : bind;
        String url = "http://" + host + ":" + actualPort + "/?store=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        return new Running(ctx, url, id);
    }

    /** Opens the URL in the desktop's browser; false when there is no desktop. */
    static boolean openBrowser(String url) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        List<String> cmd;
        if (os.contains("mac")) {
            cmd = List.of("open", url);
        } else if (os.contains("win")) {
            cmd = List.of("rundll32", "url.dll,FileProtocolHandler", url);
        } else {
            String display = System.getenv("DISPLAY");
            String wayland = System.getenv("WAYLAND_DISPLAY");
            if ((display == null || display.isEmpty()) && (wayland == null || wayland.isEmpty())) {
                return false;
            }
            cmd = List.of("xdg-open", url);
        }
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
