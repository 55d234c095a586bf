package io.imgstore.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Top-level {@code imgstore} command; each subcommand is its own class. */
@Command(name = "imgstore", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = "Inspect, record, convert and test imgstore stores, or serve them over HTTP ('serve', also "
                + "the default without arguments).",
        subcommands = {InfoCommand.class, ExtractCommand.class, SaveCommand.class, TestCommand.class,
                TimecodesCommand.class, FormatsCommand.class, ViewCommand.class, ServeCommand.class,
                PushCommand.class, PullCommand.class, CommandLine.HelpCommand.class})
public final class ImgstoreCommand implements Runnable {

    /** The version every command prints for {@code --version}. */
    public static final String VERSION = "imgstore-java 0.1.0";

    /** {@code --version} of every command. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {VERSION};
        }
    }

    /**
     * A Spring Boot property given on the command line: {@code --server.port=9000},
     * {@code --spring.profiles.active=dev}, {@code --imgstore.root=/data}.
     */
    private static final Pattern SPRING_PROPERTY = Pattern.compile("--[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_\\[\\]-]+)+(=.*)?",
            Pattern.DOTALL);

    /**
     * The arguments for the HTTP service when these arguments start it, otherwise null (a CLI
     * command, or a usage error the CLI reports). The service starts with no arguments, with only
     * Spring properties ({@code --server.port=9000}: the container's and {@code spring-boot:run}'s
     * way), or with {@code serve} followed by Spring properties; {@code serve --help} is the CLI's.
     */
    public static String[] serverArgs(String[] args) {
        List<String> rest = Arrays.asList(args);
        if (!rest.isEmpty() && rest.get(0).equals("serve")) {
            rest = rest.subList(1, rest.size());
            // help, version and anything but Spring properties: the CLI's serve (help, or a usage error)
            return rest.stream().allMatch(ImgstoreCommand::isSpringArgument) ? rest.toArray(String[]::new) : null;
        }
        return rest.stream().allMatch(ImgstoreCommand::isSpringArgument) ? args : null;
    }

    /** A Spring Boot command-line property ({@code --server.port=9000}) or Spring's {@code --debug}/{@code --trace}. */
    static boolean isSpringArgument(String a) {
        return SPRING_PROPERTY.matcher(a).matches() || a.equals("--debug") || a.equals("--trace");
    }

    /** True when these arguments are for the CLI (not {@link #serverArgs the service}). */
    public static boolean isCliInvocation(String[] args) {
        return serverArgs(args) == null;
    }

    /** Runs the CLI and returns the exit code (0 ok, 1 failure, 2 usage error). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The configured command line. Failures print one line ({@code imgstore info: no store at ...})
     * and exit 1; usage errors (unknown commands and options, missing parameters) print one line
     * and a pointer to {@code --help}, and exit 2.
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new ImgstoreCommand());
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // one clear line, no stack trace: the library's messages say what is wrong
            commandLine.getErr().println("imgstore " + commandLine.getCommandName() + ": " + message(ex));
            commandLine.getErr().flush();
            return 1;
        });
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            String name = c.getCommandSpec().qualifiedName();
            String line = name + ": " + ex.getMessage();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                line += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
            }
            err.println(line.replace('\n', ' ').replace('\r', ' '));
            err.println("Try '" + name + " --help' for more information.");
            err.flush();
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cmd;
    }

    private static String message(Exception ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    @Override
    public void run() {
        // only reached in-process (main() serves without arguments): show what there is
        CommandLine.usage(this, System.out);
    }
}
