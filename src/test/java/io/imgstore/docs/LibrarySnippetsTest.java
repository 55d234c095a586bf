package io.imgstore.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code java} blocks of docs/library.md compile against the library: each is put in a method
 * body (with the library's imports and the free variables the snippets use: {@code dir},
 * {@code image}, {@code frameNumber}, {@code frameTime}) and compiled with the JDK's compiler. They are
 * compiled, not run (they name a recording that does not exist).
 */
class LibrarySnippetsTest {

    @Test
    void javaBlocksOfLibraryMdCompile(@TempDir Path tmp) throws IOException {
        Path md = DocFiles.projectDir().resolve("docs/library.md");
        List<DocFiles.CodeBlock> blocks = DocFiles.codeBlocks(md).stream().filter(b -> b.info().equals("java")).toList();
        assertThat(blocks).as("java blocks in docs/library.md").isNotEmpty();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK (javax.tools compiler)").isNotNull();
        List<Path> sources = new ArrayList<>();
        for (DocFiles.CodeBlock b : blocks) {
            String name = "Snippet" + b.line();
            String source = """
                    package snippets;

                    import io.imgstore.format.*;
                    import io.imgstore.format.npy.*;
                    import java.nio.file.Path;
                    import java.util.List;
                    import java.util.Map;

                    class %s {
                        void run(Path dir, Image image, long frameNumber, double frameTime) throws Exception {
                    %s
                        }
                    }
                    """.formatted(name, b.code());
            Path file = Files.createDirectories(tmp.resolve("snippets")).resolve(name + ".java");
            Files.writeString(file, source);
            sources.add(file);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            List<String> options = List.of("-d", Files.createDirectories(tmp.resolve("out")).toString(),
                    "-classpath", classpath(), "-proc:none", "-Xlint:none");
            boolean ok = javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            assertThat(ok).as("docs/library.md java blocks (SnippetN = the block on line N):\n" + diagnostics.getDiagnostics())
                    .isTrue();
        }
    }

    /** The library's classes: target/classes, plus the test JVM's class path. */
    private static String classpath() {
        Path classes = DocFiles.projectDir().resolve("target/classes");
        return classes + File.pathSeparator + System.getProperty("java.class.path");
    }
}
