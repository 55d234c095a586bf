package io.imgstore.format;

import io.imgstore.format.storage.StoreFiles;
import io.imgstore.format.storage.s3.S3Clients;
import io.imgstore.format.storage.s3.S3Location;
import io.imgstore.format.storage.s3.S3StoreFiles;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens a store named by a string: a folder (or its {@code metadata.yaml}) on the local disk, or
 * {@code s3://bucket/prefix/store} (or {@code .../store/metadata.yaml}) in S3-compatible object
 * storage, read through {@link S3StoreFiles} with ranged GETs and a block cache. The CLI's read
 * commands open their {@code STORE} argument with this.
 *
 * <pre>{@code
 * try (ImgStore s = StoreLocations.open("s3://lab-data/recordings/rig1_20240501")) {
 *     Frame f = s.getFrame(0);
 * }
 * }</pre>
 *
 * <p>For {@code s3://} the client is built once per process from the AWS SDK's standard
 * configuration ({@link S3Clients#fromEnvironment()}: {@code AWS_ENDPOINT_URL_S3}, {@code AWS_REGION},
 * credentials, {@code IMGSTORE_S3_PATH_STYLE_ACCESS}) and shared by every store opened here (the SDK
 * recommends one client per process; it is never closed, as it holds no thread). Each store gets its
 * own {@link S3StoreFiles} (metadata cache, block cache of {@link S3StoreFiles.Options#defaults()}).
 * Reads of an object-storage store are confined to its prefix.
 */
public final class StoreLocations {

    private static volatile S3Client sharedClient;

    private StoreLocations() {
    }

    /**
     * Where a location's files are read from.
     *
     * @param files the storage
     * @param store the store folder (or its metadata.yaml) as a path for {@code files}
     * @param root  the confinement root: the store itself for {@code s3://}, null for a local folder
     * @param location the location as given (for messages)
     */
    public record Resolved(StoreFiles files, Path store, Path root, String location) {

        public Resolved {
            Objects.requireNonNull(files, "files");
            Objects.requireNonNull(store, "store");
        }

        /**
         * Opens the store, keeping at most {@code maxIdleDecoders} idle video decoders.
         *
         * @throws StoreNotFoundException when there is no {@code metadata.yaml} (object storage: one HEAD)
         */
        public ImgStore open(int maxIdleDecoders) {
            if (root != null && !ImgStore.isStore(files, store)) {
                throw new StoreNotFoundException("no store at " + location + " (no " + StoreLayout.METADATA_FILE + ")");
            }
            return ImgStore.open(store, files, maxIdleDecoders, root);
        }
    }

    /** True if the location names object storage ({@code s3://}). */
    public static boolean isS3(String location) {
        return S3Location.isS3(location);
    }

    /**
     * Opens a store for reading: a local path or {@code s3://bucket/prefix/store}.
     *
     * @throws IllegalArgumentException for a malformed {@code s3://} location
     * @throws StoreNotFoundException     when there is no store there
     */
    public static ImgStore open(String location) {
        return resolve(location).open(4);
    }

    /** As {@link #open(String)}, for {@code s3://} through {@code client} (the caller's; not closed here). */
    public static ImgStore open(String location, S3Client client, S3StoreFiles.Options options) {
        return resolve(location, client, options).open(4);
    }

    /** The storage and paths of a location, {@code s3://} through the shared client. */
    public static Resolved resolve(String location) {
        Objects.requireNonNull(location, "location");
        if (!isS3(location)) {
            return new Resolved(StoreFiles.LOCAL, Path.of(location), null, location);
        }
        return resolve(location, client(), S3StoreFiles.Options.defaults());
    }

    /** The storage and paths of a location, {@code s3://} through {@code client}. */
    public static Resolved resolve(String location, S3Client client, S3StoreFiles.Options options) {
        Objects.requireNonNull(location, "location");
        if (!isS3(location)) {
            return new Resolved(StoreFiles.LOCAL, Path.of(location), null, location);
        }
        String text = location;
        String suffix = "/" + StoreLayout.METADATA_FILE;
        if (text.endsWith(suffix)) {
            text = text.substring(0, text.length() - suffix.length());
        }
        S3StoreFiles files = new S3StoreFiles(client, S3Location.parse(text), options);
        return new Resolved(files, files.anchor(), files.anchor(), files.location().toString());
    }

    private static S3Client client() {
        S3Client c = sharedClient;
        if (c == null) {
            synchronized (StoreLocations.class) {
                c = sharedClient;
                if (c == null) {
                    c = S3Clients.fromEnvironment();
                    sharedClient = c;
                }
            }
        }
        return c;
    }
}
