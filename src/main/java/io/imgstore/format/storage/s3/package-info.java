/**
 * The S3 implementation of the storage seam: {@link io.imgstore.format.storage.s3.S3StoreFiles}
 * (reads, with ranged GETs and a block cache), {@link io.imgstore.format.storage.s3.S3Location}
 * ({@code s3://bucket/prefix}), {@link io.imgstore.format.storage.s3.S3Clients} (the SDK's
 * standard configuration plus path style) and {@link io.imgstore.format.storage.s3.S3Uploads}
 * (the minimal write side), and {@link io.imgstore.format.storage.s3.S3LeaseFiles} (writers' leases
 * on object storage with conditional puts, after a probe of the server's support). See docs/storage.md.
 */
package io.imgstore.format.storage.s3;
