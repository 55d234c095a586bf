package io.imgstore.cli;

import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.StoreTransfer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

    @Mixin
    TransferOptions transfer;

    @Override
    public Integer call() throws IOException {
        StoreTransfer.Result r = transfer.run(spec, StoreTransfer.Options.defaults(), "push", "upload",
                (t, progress) -> t.push(store, target, name, progress));
        if (r.extraObjects() > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("imgstore push: %d object(s) under %s are not in the local store; left in place%n",
                    r.extraObjects(), r.store());
            err.flush();
        }
        return 0;
    }
}
