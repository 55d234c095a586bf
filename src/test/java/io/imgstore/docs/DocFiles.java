package io.imgstore.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's Markdown documentation (README.md and docs/*.md) as the docs tests see it: its fenced
 * code blocks (with the info string and the line they start on) and its relative links.
 *
 * <p>A block is run by {@link DocExamplesIT} iff its info string is exactly {@code bash} or
 * {@code python}; every other info string ({@code console}, {@code text}, {@code json}, {@code java}, ...)
 * is shown, never run.
 */
final class DocFiles {

    /** A fenced code block: where it starts (1-based line of the opening fence), its info string, its text. */
    record CodeBlock(Path file, int line, String info, String code) {

        /** {@code bash} and {@code python} blocks are run; everything else is only shown. */
        boolean runnable() {
            return info.equals("bash") || info.equals("python");
        }

        String where(Path projectDir) {
            return projectDir.relativize(file) + ":" + line;
        }
    }

    /** A link {@code [text](target)} or image {@code ![alt](target)} outside code blocks. */
    record Link(Path file, int line, String target) {
    }

    private static final Pattern FENCE = Pattern.compile("^(`{3,}|~{3,})\\s*([^`]*?)\\s*$");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    private DocFiles() {
    }

    /** The project directory: failsafe's {@code imgstore.project.dir}, else the working directory. */
    static Path projectDir() {
        return Path.of(System.getProperty("imgstore.project.dir", "")).toAbsolutePath().normalize();
    }

    /** README.md and every docs/*.md, in a stable order. */
    static List<Path> markdownFiles(Path projectDir) {
        List<Path> files = new ArrayList<>();
        files.add(projectDir.resolve("README.md"));
        Path docs = projectDir.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> s = Files.list(docs)) {
                s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fenced code block of a file; an unclosed fence runs to the end of the file. */
    static List<CodeBlock> codeBlocks(Path file) {
        return codeBlocks(file, lines(file));
    }

    static List<CodeBlock> codeBlocks(Path file, List<String> lines) {
        List<CodeBlock> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String fence = open.group(1);
            int start = i;
            StringBuilder code = new StringBuilder();
            for (i++; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.strip().startsWith(fence) && l.strip().chars().allMatch(c -> c == fence.charAt(0))) {
                    break;
                }
                code.append(l).append('\n');
            }
            blocks.add(new CodeBlock(file, start + 1, open.group(2), code.toString()));
        }
        return blocks;
    }

    /** Links and images outside fenced blocks and inline code. */
    static List<Link> links(Path file) {
        List<String> lines = lines(file);
        List<Link> links = new ArrayList<>();
        boolean inFence = false;
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!inFence) {
                Matcher open = FENCE.matcher(l);
                if (open.matches()) {
                    inFence = true;
                    fence = open.group(1);
                    continue;
                }
                Matcher m = LINK.matcher(INLINE_CODE.matcher(l).replaceAll("``"));
                while (m.find()) {
                    links.add(new Link(file, i + 1, m.group(1)));
                }
            } else if (l.strip().startsWith(fence)) {
                inFence = false;
            }
        }
        return links;
    }

    /**
     * The anchors GitHub gives a file's headings: lower case, punctuation other than {@code -} and
     * {@code _} dropped, spaces as {@code -}; a repeated heading gets {@code -1}, {@code -2}, ...
     */
    static java.util.Set<String> anchors(Path file) {
        java.util.Set<String> anchors = new java.util.HashSet<>();
        boolean inFence = false;
        String fence = null;
        for (String l : lines(file)) {
            Matcher open = FENCE.matcher(l);
            if (!inFence && open.matches()) {
                inFence = true;
                fence = open.group(1);
            } else if (inFence) {
                inFence = !l.strip().startsWith(fence);
            } else if (l.startsWith("#")) {
                String slug = l.replaceFirst("^#+\\s*", "").strip().toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                String unique = slug;
                for (int n = 1; !anchors.add(unique); n++) {
                    unique = slug + "-" + n;
                }
            }
        }
        return anchors;
    }

    /** True for links to a file of this repository (not a URL, not a bare {@code #anchor}). */
    static boolean isRelative(String target) {
        return !target.startsWith("#") && !target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    }
}
