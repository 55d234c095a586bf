package io.imgstore.cli;

import io.imgstore.format.storage.s3.S3Clients;
import io.imgstore.format.storage.s3.StoreTransfer;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What {@code push} and {@code pull} share (a picocli mixin): {@code --dry-run}, {@code --jobs},
 * {@code --quiet}, and one run of a {@link StoreTransfer} with its progress and summary line.
 */
final class TransferOptions {

    /** One direction of a transfer: push or pull. */
    @FunctionalInterface
    interface Transfer {
        StoreTransfer.Result run(StoreTransfer transfer, TransferProgress progress) throws IOException;
    }

    @Option(names = {"-n", "--dry-run"}, description = "list the files that would be transferred, transfer nothing")
    boolean dryRun;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "4",
            description = "files transferred at the same time, 1.." + StoreTransfer.MAX_JOBS + " (default ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
    boolean quiet;

    /**
     * Runs one transfer with an S3 client from the environment and prints its summary line.
     *
     * @param verb "push" or "pull" (the summary says "pushed to" / "pulled to")
     * @param noun "upload" or "download" (progress and summary)
     */
    StoreTransfer.Result run(CommandSpec spec, StoreTransfer.Options options, String verb, String noun, Transfer transfer)
            throws IOException {
        if (jobs < 1 || jobs > StoreTransfer.MAX_JOBS) {
            throw new ParameterException(spec.commandLine(), "--jobs must be between 1 and " + StoreTransfer.MAX_JOBS);
        }
        PrintWriter out = spec.commandLine().getOut();
        TransferProgress progress = TransferProgress.of(out, spec.commandLine().getErr(), quiet, dryRun, noun);
        StoreTransfer.Result r;
        try (S3Client client = S3Clients.fromEnvironment()) {
            r = transfer.run(new StoreTransfer(client, options.withJobs(jobs).withDryRun(dryRun)), progress);
        } finally {
            progress.finish();
        }
        out.printf("%s %s: %d files, %d %s (%s), %d unchanged%n",
                dryRun ? "dry run, nothing " + verb + "ed to" : verb + "ed to", r.store(), r.files(), r.copied(),
                dryRun ? "to " + noun : noun + "ed", TransferProgress.size(r.bytesCopied()), r.unchanged());
        out.flush();
        return r;
    }
}
