package io.imgstore.cli;

import io.imgstore.format.storage.s3.S3Clients;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.StoreTransfer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code imgstore push STORE s3://bucket/prefix [--as NAME] [--dry-run]}: uploads a store folder to
 * {@code s3://bucket/prefix/NAME} (NAME: the folder's name), metadata last, with checksums,
 * skipping objects that are already there ({@link StoreTransfer}).
 */
@Command(name = "push", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = {"Upload a store to object storage: STORE lands at s3://bucket/prefix/<folder name> "
                + "(or --as NAME).",
                "Chunks and indexes first, metadata.yaml last; each object carries its SHA-256 "
                        + "(x-amz-meta-imgstore-sha256), checked after the upload; a rerun skips objects "
                        + "with the same size and checksum. Refuses a store open for writing.",
                "Endpoint, region and credentials: AWS_ENDPOINT_URL_S3/AWS_ENDPOINT_URL, AWS_REGION, "
                        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or profiles; "
                        + "IMGSTORE_S3_PATH_STYLE_ACCESS=true for servers without virtual-host buckets."})
final class PushCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE", description = "store folder or its metadata.yaml")
    Path store;

    @Parameters(index = "1", paramLabel = "s3://BUCKET[/PREFIX]", converter = S3LocationConverter.class,
            description = "where to put the store (it becomes PREFIX/NAME)")
    S3Location target;

    @Option(names = "--as", paramLabel = "NAME", description = "the store's name in object storage (default: the folder's name)")
    String name;

    @Option(names = {"-n", "--dry-run"}, description = "list the files that would be uploaded, upload nothing")
    boolean dryRun;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "4",
            description = "files transferred at the same time, 1.." + StoreTransfer.MAX_JOBS + " (default ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (jobs < 1 || jobs > StoreTransfer.MAX_JOBS) {
            throw new ParameterException(spec.commandLine(), "--jobs must be between 1 and " + StoreTransfer.MAX_JOBS);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TransferProgress progress = TransferProgress.of(out, err, quiet, dryRun, "upload");
        StoreTransfer.Result r;
        try (S3Client client = S3Clients.fromEnvironment()) {
            r = new StoreTransfer(client, StoreTransfer.Options.defaults().withJobs(jobs).withDryRun(dryRun))
                    .push(store, target, name, progress);
        } finally {
            progress.finish();
        }
        out.printf("%s %s: %d files, %d %s (%s), %d unchanged%n", dryRun ? "dry run, nothing pushed to" : "pushed to",
                r.store(), r.files(), r.copied(), dryRun ? "to upload" : "uploaded",
                TransferProgress.size(r.bytesCopied()), r.unchanged());
        out.flush();
        if (r.extraObjects() > 0) {
            err.printf("imgstore push: %d object(s) under %s are not in the local store; left in place%n",
                    r.extraObjects(), r.store());
            err.flush();
        }
        return 0;
    }
}
