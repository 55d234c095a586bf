package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.ImgstoreApplication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the jar does with its arguments: CLI, usage errors, help and version, or the service. */
class CliUsageTest {

    static final List<String> COMMANDS = List.of("info", "extract", "save", "test", "timecodes", "formats", "view", "serve");

    @ParameterizedTest
    @ValueSource(strings = {"info", "extract", "save", "test", "timecodes", "formats", "view", "serve"})
    void helpWorksOnEveryCommandWithoutItsRequiredParameters(String command) {
        for (String flag : List.of("--help", "-h")) {
            CliTest.Run r = CliTest.run(command, flag);
            assertThat(r.exit()).as(command + " " + flag + ": " + r.err()).isZero();
            assertThat(r.out()).contains("Usage: imgstore " + command).contains("--help").contains("--version");
            assertThat(r.err()).isEmpty();
        }
        CliTest.Run v = CliTest.run(command, "--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out().strip()).isEqualTo(ImgstoreCommand.VERSION);
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        CliTest.Run r = CliTest.run("--help");
        assertThat(r.exit()).isZero();
        for (String c : COMMANDS) {
            assertThat(r.out()).contains("  " + c + " ");
        }
        assertThat(CliTest.run("help", "extract").out()).contains("Usage: imgstore extract").contains("frames/%06d.png");
        assertThat(CliTest.run("--version").out().strip()).isEqualTo("imgstore-java 0.1.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "--bogus", "infoo", "-x"})
    void unknownWordsAndOptionsAreUsageErrors(String word) {
        CliTest.Run r = CliTest.run(word);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("imgstore: ").contains(word);
        assertThat(lines.get(1)).isEqualTo("Try 'imgstore --help' for more information.");
        assertThat(ImgstoreCommand.serverArgs(new String[] {word})).isNull();
    }

    @Test
    void unknownOptionsOfACommandAreUsageErrorsToo() {
        CliTest.Run r = CliTest.run("info", "--bogus", "x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(2).last().isEqualTo("Try 'imgstore info --help' for more information.");
        assertThat(CliTest.run("infoo").err()).contains("did you mean info");
    }

    @Test
    void whatStartsTheService() {
        assertThat(ImgstoreCommand.serverArgs(new String[0])).isEmpty();
        String[] spring = {"--server.port=9000", "--imgstore.root=/data", "--spring.profiles.active=dev"};
        assertThat(ImgstoreCommand.serverArgs(spring)).containsExactly(spring);
        assertThat(ImgstoreCommand.serverArgs(new String[] {"serve", "--server.port=9000"})).containsExactly("--server.port=9000");
        assertThat(ImgstoreCommand.serverArgs(new String[] {"serve"})).isEmpty();
        // help for serve is the CLI's; a stray word among Spring options is a usage error, not a server
        assertThat(ImgstoreCommand.serverArgs(new String[] {"serve", "--help"})).isNull();
        assertThat(ImgstoreCommand.serverArgs(new String[] {"--server.port=9000", "bogus"})).isNull();
        assertThat(ImgstoreCommand.serverArgs(new String[] {"--port=9000"})).isNull();
        assertThat(ImgstoreCommand.serverArgs(new String[] {"serve", "--bogus"})).isNull();
        assertThat(ImgstoreCommand.serverArgs(new String[] {"serve", "--debug", "--server.port=1"})).hasSize(2);
        CliTest.Run serveBogus = CliTest.run("serve", "bogus");
        assertThat(serveBogus.exit()).isEqualTo(2);
        assertThat(serveBogus.err()).contains("'bogus' is not a Spring property").contains("Try 'imgstore serve --help'");
        assertThat(ImgstoreCommand.isCliInvocation(new String[] {"info", "x"})).isTrue();
    }

    /** The real main() in its own JVM: an unknown word ends at once with exit 2 instead of serving. */
    @Test
    void mainExitsWithTwoOnAnUnknownWordInsteadOfStartingAServer() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ImgstoreApplication.class.getName(), "bogus").start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("main(bogus) still running after 30 s: it started a server").isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err).contains("imgstore: Unmatched argument").contains("'bogus'").contains("Try 'imgstore --help'");
        assertThat(out).doesNotContain("Tomcat").doesNotContain("Spring");
    }
}
