package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.StoreNotFoundException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * {@code metadata.yaml} with SnakeYAML: safe loading (Python 2 era {@code !!python/tuple} and
 * {@code !!python/unicode} tags are understood, nothing else is constructed), and dumping in the
 * style of PyYAML's {@code safe_dump}: block style, keys sorted, non-ASCII escaped.
 */
public final class MetadataYaml {

    public static final String FILENAME = "metadata.yaml";
    public static final String STORE_KEY = "__store";

    private MetadataYaml() {
    }

    /** Loads the whole document; the {@code __store} block is a nested map. */
    public static Map<String, Object> read(Path storeDir) {
        Path file = storeDir.resolve(FILENAME);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object doc = loader().load(r);
            if (!(doc instanceof Map<?, ?> map) || !(map.get(STORE_KEY) instanceof Map<?, ?>)) {
                throw new CorruptStoreException(FILENAME + " has no '" + STORE_KEY + "' block");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) doc;
            return m;
        } catch (NoSuchFileException e) {
            throw new StoreNotFoundException("no " + FILENAME + " in " + storeDir.getFileName());
        } catch (IOException e) {
            throw new ImgStoreException("cannot read " + FILENAME + ": " + e.getMessage(), e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new CorruptStoreException("cannot parse " + FILENAME + ": " + e.getMessage(), e);
        }
    }

    /** Writes atomically (temporary file, then move). */
    public static void write(Path storeDir, Map<String, Object> document) {
        Path file = storeDir.resolve(FILENAME);
        Path tmp = storeDir.resolve(FILENAME + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                dumper().dump(sorted(document), w);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ImgStoreException("cannot write " + FILENAME + ": " + e.getMessage(), e);
        }
    }

    /** Dumps a value as PyYAML's safe_dump would (used for yaml indexes too). */
    public static String dump(Object value) {
        return dumper().dump(sorted(value));
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(sorted(v)));
            return out;
        }
        if (value instanceof int[] a) {
            List<Object> out = new ArrayList<>();
            for (int v : a) {
                out.add(v);
            }
            return out;
        }
        return value;
    }

    private static Yaml dumper() {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setAllowUnicode(false);
        o.setIndicatorIndent(0);
        o.setWidth(80);
        return new Yaml(new Representer(o), o);
    }

    private static Yaml loader() {
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(true);
        lo.setCodePointLimit(16 * 1024 * 1024);
        return new Yaml(new PythonTolerantConstructor(lo));
    }

    /** Safe constructor that also maps PyYAML's python/tuple to a list and python/unicode to a string. */
    private static final class PythonTolerantConstructor extends SafeConstructor {
        PythonTolerantConstructor(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(new Tag("tag:yaml.org,2002:python/tuple"), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return constructSequence((SequenceNode) node);
                }
            });
            this.yamlConstructors.put(new Tag("tag:yaml.org,2002:python/unicode"), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return constructScalar((org.yaml.snakeyaml.nodes.ScalarNode) node);
                }
            });
        }
    }

    /** A copy with insertion order kept, for callers that mutate. */
    public static Map<String, Object> copy(Map<String, Object> m) {
        return new LinkedHashMap<>(m);
    }
}
