/**
 * The storage seam: {@link io.imgstore.format.storage.StoreFiles}, how the library reads a store's
 * files, with {@link io.imgstore.format.storage.LocalStoreFiles} for the local file system. Video
 * chunks are still opened by path by FFmpeg (and image frames by OpenCV); see {@code StoreFiles}.
 */
package io.imgstore.format.storage;
