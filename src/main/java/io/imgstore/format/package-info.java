/**
 * imgstore-java's format library: reads and writes video recording stores compatible with Python
 * <a href="https://github.com/loopbio/imgstore">imgstore</a> ({@code VideoImgStore},
 * {@code DirectoryImgStore}, and Motif's {@code VideoImgStoreFFMPEG} for reading). Plain Java plus
 * JavaCV (wrapped in {@code format.codec}): no Spring, no HTTP.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link io.imgstore.format.ImgStore#open(java.nio.file.Path)}: a store for reading
 *       (imgstore's {@code new_for_filename}).</li>
 *   <li>{@link io.imgstore.format.ImgStoreWriter#create(java.nio.file.Path, io.imgstore.format.StoreSpec)}:
 *       a new store ({@code new_for_format}); {@link io.imgstore.format.ImgStoreWriter#recover} reopens
 *       one whose writer died, {@link io.imgstore.format.ImgStoreWriter#reindex} renumbers frames.</li>
 *   <li>{@link io.imgstore.format.StoreMetadata}: {@code metadata.yaml} (the {@code __store} block and
 *       the user metadata), typed; {@link io.imgstore.format.StoreLayout}: the names of a store's files
 *       ({@code metadata.yaml}, {@code .lock}, chunks, indexes, journals, extra data).</li>
 *   <li>{@link io.imgstore.format.Image}: a frame in imgstore's layout (C order, BGR, uint8/uint16);
 *       {@link io.imgstore.format.npy.NpyImages} converts it to and from npy.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Unchecked, rooted at {@link io.imgstore.format.ImgStoreException}: {@link io.imgstore.format.StoreNotFoundException},
 * {@link io.imgstore.format.CorruptStoreException}, {@link io.imgstore.format.UnsupportedFormatException},
 * {@link io.imgstore.format.FrameNotFoundException}, {@link io.imgstore.format.EndOfStoreException},
 * {@link io.imgstore.format.InvalidImageException}, {@link io.imgstore.format.StoreExistsException},
 * {@link io.imgstore.format.StoreLockedException}, {@link io.imgstore.format.FileOutsideRootException},
 * {@link io.imgstore.format.ExtraDataTooLargeException}.
 *
 * <h2>Threading</h2>
 * An {@code ImgStore}'s random-access reads are thread-safe ({@code nextFrame} keeps a shared
 * cursor). An {@code ImgStoreWriter} is not: one thread writes a store; the {@code .lock} file
 * (an OS file lock) keeps other writers, in this JVM or others, out.
 *
 * <h2>Native memory</h2>
 * Video decoders and encoders hold FFmpeg (native) memory: {@code ImgStore} and {@code ImgStoreWriter}
 * are {@link java.lang.AutoCloseable}; close them (try-with-resources). {@code Image}s are plain Java
 * memory and may be kept freely.
 *
 * <h2>Packages</h2>
 * {@code format.codec} wraps JavaCV; {@code format.npy} reads and writes numpy files;
 * {@code format.storage} is the seam through which files are read; {@code format.internal} is the
 * implementation (not API: only this library uses it).
 */
package io.imgstore.format;
