/**
 * The storage seam: {@link io.imgstore.format.storage.StoreFiles}, through which every read of a
 * store goes (metadata, the chunk listing, indexes, journals, extra data, frame files, video chunks),
 * with {@link io.imgstore.format.storage.LocalStoreFiles} for the local file system
 * ({@code StoreFiles.LOCAL}, the default of {@code ImgStore.open}). A store opened with another
 * implementation ({@code ImgStore.open(path, files, decoders, root)}) is read entirely through it:
 * FFmpeg opens a chunk by path only when {@link io.imgstore.format.storage.StoreFiles#localFile}
 * names a local file, and reads through a custom I/O context over
 * {@link io.imgstore.format.storage.StoreFiles#newChannel} otherwise. Writes are still local.
 */
package io.imgstore.format.storage;
