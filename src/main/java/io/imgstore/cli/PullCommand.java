package io.imgstore.cli;

import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.StoreTransfer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imgstore pull s3://bucket/prefix/STORE DIR [--as NAME] [--dry-run]}: downloads a store
 * into {@code DIR/STORE}, each file checked against its SHA-256 and moved in place atomically,
 * metadata last, skipping files that are already there ({@link StoreTransfer}).
 */
@Command(name = "pull", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = {"Download a store from object storage into DIR/STORE (or DIR/NAME with --as).",
                "Every object is checked against its SHA-256 (x-amz-meta-imgstore-sha256) before it is moved "
                        + "in place; metadata.yaml last; a rerun skips files with the same size and checksum. "
                        + "Keys that would write outside DIR are refused.",
                "S3 configuration as for push."})
final class PullCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "s3://BUCKET/PREFIX/STORE", converter = S3LocationConverter.class,
            description = "the store in object storage")
    S3Location source;

    @Parameters(index = "1", paramLabel = "DIR", description = "the folder to put the store in (created if needed)")
    Path dir;

    @Option(names = "--as", paramLabel = "NAME", description = "the local folder's name (default: the store's name)")
    String name;

    @Option(names = "--allow-unverified",
            description = "also pull objects without the imgstore-sha256 checksum (uploaded by other tools), checking their size only")
    boolean allowUnverified;

    @Mixin
    TransferOptions transfer;

    @Override
    public Integer call() throws IOException {
        transfer.run(spec, StoreTransfer.Options.defaults().withAllowUnverified(allowUnverified), "pull", "download",
                (t, progress) -> t.pull(source, dir, name, progress));
        return 0;
    }
}
