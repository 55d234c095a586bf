package io.imgstore.format.storage.s3;

/**
 * A snapshot of the requests an {@link S3StoreFiles} has made and the bytes it has fetched since it
 * was created; {@link #minus} gives what one operation cost.
 *
 * @param gets GET requests (whole objects and ranges)
 * @param heads HEAD requests
 * @param lists ListObjectsV2 requests (one per page)
 * @param bytesFetched bytes received in GET bodies
 * @param cacheHits blocks the channels ({@link S3StoreFiles#newChannel}) found without a request: in the
 *        shared block cache or in the channel's last GET (its read-ahead)
 * @param cacheMisses block-cache misses (each fetched with a ranged GET, possibly with read-ahead)
 */
public record S3Stats(long gets, long heads, long lists, long bytesFetched, long cacheHits, long cacheMisses) {

    /** The difference {@code this - earlier}. */
    public S3Stats minus(S3Stats earlier) {
        return new S3Stats(gets - earlier.gets, heads - earlier.heads, lists - earlier.lists,
                bytesFetched - earlier.bytesFetched, cacheHits - earlier.cacheHits, cacheMisses - earlier.cacheMisses);
    }

    /** All requests. */
    public long requests() {
        return gets + heads + lists;
    }
}
