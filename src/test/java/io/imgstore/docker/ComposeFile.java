package io.imgstore.docker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker/compose.yaml as a test reads it, so that {@link ClusterContainerIT} runs the topology the compose
 * file declares instead of a copy of it. SnakeYAML (already on the classpath through Spring Boot) parses
 * it, merge keys ({@code <<: *imgstore}) included; {@code ${NAME:-default}} and {@code ${NAME}} are
 * replaced by the given settings or else their default, as {@code docker compose} does with an empty
 * environment. Only what the tests need is modelled.
 */
final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final Map<String, Object> root;
    private final Map<String, String> settings;

    private ComposeFile(Map<String, Object> root, Map<String, String> settings) {
        this.root = root;
        this.settings = settings;
    }

    static ComposeFile load(Path file, Map<String, String> settings) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        try (Reader in = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new SafeConstructor(options)).load(in);
            return new ComposeFile(root, settings);
        }
    }

    /** The services started by {@code --profile <profile>}: those without profiles and those of that profile, in file order. */
    List<String> servicesOf(String profile) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Object> e : map(root, "services").entrySet()) {
            Object profiles = ((Map<?, ?>) e.getValue()).get("profiles");
            if (profiles == null || ((List<?>) profiles).contains(profile)) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    Map<String, Object> service(String name) {
        return map(map(root, "services"), name);
    }

    Map<String, Object> volumes() {
        Object v = root.get("volumes");
        return v == null ? Map.of() : map(root, "volumes");
    }

    String dockerfile(String service) {
        return interpolate(String.valueOf(map(service(service), "build").get("dockerfile")));
    }

    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object declared = service(service).get("environment");
        if (declared instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : interpolate(String.valueOf(v))));
        } else if (declared instanceof List<?> l) {
            for (Object item : l) {
                String[] kv = String.valueOf(item).split("=", 2);
                env.put(kv[0], kv.length > 1 ? interpolate(kv[1]) : "");
            }
        }
        return env;
    }

    /** Short-syntax volumes, interpolated: "source:target[:mode]". */
    List<String> volumeMounts(String service) {
        Object declared = service(service).get("volumes");
        List<String> mounts = new ArrayList<>();
        if (declared instanceof List<?> l) {
            l.forEach(v -> mounts.add(interpolate(String.valueOf(v))));
        }
        return mounts;
    }

    @SuppressWarnings("unchecked")
    List<String> list(String service, String key) {
        Object v = service(service).get(key);
        return v == null ? List.of() : ((List<Object>) v).stream().map(o -> interpolate(String.valueOf(o))).toList();
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> dependsOn(String service) {
        Object v = service(service).get("depends_on");
        return v == null ? Map.of() : (Map<String, Map<String, Object>>) v;
    }

    String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String set = settings.get(m.group(1));
            String replacement = set != null ? set : m.group(2) != null ? m.group(2) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<?, ?> parent, String key) {
        Object v = parent.get(key);
        if (!(v instanceof Map)) {
            throw new IllegalStateException("compose file: '" + key + "' is not a mapping: " + v);
        }
        return (Map<String, Object>) v;
    }
}
