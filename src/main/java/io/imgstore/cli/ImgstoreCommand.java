package io.imgstore.cli;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Top-level {@code imgstore} command; each subcommand is its own class. */
@Command(name = "imgstore", mixinStandardHelpOptions = true, version = "imgstore-java 0.1.0",
        description = "Inspect, convert and test imgstore stores. Without a command, 'serve' starts the HTTP service.",
        subcommands = {InfoCommand.class, ExtractCommand.class, SaveCommand.class, TestCommand.class,
                TimecodesCommand.class, ViewCommand.class, CommandLine.HelpCommand.class})
public final class ImgstoreCommand implements Runnable {

    private static final Set<String> COMMANDS =
            Set.of("info", "extract", "save", "test", "timecodes", "view", "help", "--help", "-h", "--version", "-V");

    /** True when the arguments name a CLI command rather than server options. */
    public static boolean isCliInvocation(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs the CLI and returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (errors as one line and exit code 1, usage errors exit 2). */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new ImgstoreCommand());
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // one clear line, no stack trace: the library's messages say what is wrong
            commandLine.getErr().println("imgstore " + commandLine.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        return cmd;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
