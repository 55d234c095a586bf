package io.imgstore.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README stays a first hour, and every relative link of README.md and docs/*.md leads to an existing
 * file (and, for {@code file.md#anchor} and {@code #anchor}, to an existing heading).
 */
class DocsTest {

    static final int README_MAX_LINES = 300;

    final Path projectDir = DocFiles.projectDir();

    @Test
    void readmeIsShort() {
        List<String> lines = DocFiles.lines(projectDir.resolve("README.md"));
        assertThat(lines.size()).as("README.md lines (move details to docs/)").isLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void readmeTestCommandIsTheOneCiRuns() {
        String readme = String.join("\n", DocFiles.lines(projectDir.resolve("README.md")));
        assertThat(readme).contains("./mvnw spring-boot:run").contains("./mvnw -B verify");
        assertThat(DocFiles.lines(projectDir.resolve(".ci/run"))).as(".ci/run").contains("./mvnw -B verify");
    }

    @Test
    void everyRelativeLinkPointsToAnExistingFile() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path md : DocFiles.markdownFiles(projectDir)) {
            for (DocFiles.Link link : DocFiles.links(md)) {
                String t = link.target();
                if (!t.startsWith("#") && !DocFiles.isRelative(t)) {
                    continue;
                }
                String path = t.replaceFirst("[#?].*$", "");
                Path target = path.isEmpty() ? md : md.getParent().resolve(path).normalize();
                checked++;
                if (!target.startsWith(projectDir) || !Files.exists(target)) {
                    broken.add(projectDir.relativize(md) + ":" + link.line() + ": " + t);
                } else if (t.contains("#") && target.toString().endsWith(".md")
                        && !DocFiles.anchors(target).contains(t.substring(t.indexOf('#') + 1))) {
                    broken.add(projectDir.relativize(md) + ":" + link.line() + ": " + t + " (no such heading)");
                }
            }
        }
        assertThat(checked).as("relative links found").isPositive();
        assertThat(broken).as("relative links to files that do not exist").isEmpty();
    }

    @Test
    void anchorsAreGithubs(@org.junit.jupiter.api.io.TempDir Path tmp) throws java.io.IOException {
        Path md = tmp.resolve("a.md");
        Files.writeString(md, "# Title\n## 4. Push frames from a rig\n```bash\n# not a heading\n```\n"
                + "## Ingest: imgstore.ingest.*\n## Tests\n## Tests\n");
        assertThat(DocFiles.anchors(md)).containsExactlyInAnyOrder("title", "4-push-frames-from-a-rig",
                "ingest-imgstoreingest", "tests", "tests-1");
    }

    @Test
    void onlyBashAndPythonBlocksAreRun() {
        List<String> md = List.of(
                "text", "```bash", "echo run", "```", "```console", "./mvnw spring-boot:run", "```",
                "````python", "print('run')", "```", "````", "```java", "int x;", "```", "```", "plain", "```",
                "```bash title", "x", "```");
        List<DocFiles.CodeBlock> blocks = DocFiles.codeBlocks(Path.of("x.md"), md);
        assertThat(blocks).extracting(DocFiles.CodeBlock::info)
                .containsExactly("bash", "console", "python", "java", "", "bash title");
        assertThat(blocks).extracting(DocFiles.CodeBlock::line).containsExactly(2, 5, 8, 12, 15, 18);
        assertThat(blocks.get(2).code()).isEqualTo("print('run')\n```\n");
        assertThat(blocks).filteredOn(DocFiles.CodeBlock::runnable).extracting(DocFiles.CodeBlock::line)
                .containsExactly(2, 8);
    }
}
