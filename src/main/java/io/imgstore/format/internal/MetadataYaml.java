package io.imgstore.format.internal;

import io.imgstore.format.CorruptStoreException;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.StoreLayout;
import io.imgstore.format.StoreNotFoundException;
import io.imgstore.format.storage.StoreFiles;
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

    public static final String FILENAME = StoreLayout.METADATA_FILE;
    public static final String STORE_KEY = StoreLayout.STORE_KEY;

    private MetadataYaml() {
    }

    /** Loads the whole document; the {@code __store} block is a nested map. */
    public static Map<String, Object> read(Path storeDir) {
        return read(storeDir, Confinement.NONE);
    }

    /**
     * As {@link #read(Path)}, refusing a {@code metadata.yaml} that resolves outside the confinement root.
     *
     * @throws io.imgstore.format.FileOutsideRootException when it does
     */
    public static Map<String, Object> read(Path storeDir, Confinement confinement) {
        return read(StoreFiles.LOCAL, storeDir, confinement);
    }

    /** As {@link #read(Path, Confinement)}, read through {@code files}. */
    public static Map<String, Object> read(StoreFiles files, Path storeDir, Confinement confinement) {
        Path file = confinement.check(storeDir.resolve(FILENAME), storeDir);
        try (Reader r = files.newReader(file)) {
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
            throw new CorruptStoreException("cannot parse " + FILENAME + ": " + describe(e), null);
        }
    }

    /**
     * A YAML error without any text of the file: SnakeYAML's messages quote the offending lines
     * (a file reached through a link could be anything), so only the line, column and the kind of
     * problem (quoted parts replaced by {@code '…'}) are kept. The cause is dropped too, so no
     * handler or log can print the snippet.
     */
    public static String describe(org.yaml.snakeyaml.error.YAMLException e) {
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
            String problem = m.getProblem() != null ? m.getProblem() : m.getContext();
            org.yaml.snakeyaml.error.Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
            String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
            return where + kind(problem);
        }
        return "invalid YAML (" + e.getClass().getSimpleName() + ")";
    }

    private static final java.util.Set<String> SENSITIVE_BEFORE = java.util.Set.of(
            "alias", "anchor", "tag", "handle", "character", "for", "directive", "name", "key", "value");

    private static String kind(String problem) {
        if (problem == null) {
            return "invalid YAML";
        }
        // only the leading plain lowercase words ("mapping values are not allowed here", "expected
        // <block end>, but found"), and nothing after a word that introduces a name from the file
        // (alias, anchor, tag, ...): anything quoted or named there could come from the file
        StringBuilder k = new StringBuilder();
        for (String word : problem.split(" ")) {
            if (!word.matches("[a-z,<>()-]+")) {
                break;
            }
            k.append(k.length() == 0 ? "" : " ").append(word);
            if (SENSITIVE_BEFORE.contains(word.replace(",", ""))) {
                break;
            }
        }
        if (k.length() == 0) {
            return "invalid YAML";
        }
        return k.length() > 80 ? k.substring(0, 80) + "…" : k.toString();
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
