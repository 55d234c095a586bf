/**
 * numpy's {@code .npy} and {@code .npz} formats, as imgstore writes them: {@link io.imgstore.format.npy.Npy}
 * (headers and arrays, bounded reads), {@link io.imgstore.format.npy.Npz} (chunk indexes),
 * {@link io.imgstore.format.npy.NpyArray} (a typed array) and {@link io.imgstore.format.npy.NpyImages},
 * the library's one conversion between {@link io.imgstore.format.Image} and npy (used by npy
 * DirectoryImgStores, the service's npy responses and the CLI). Public API.
 */
package io.imgstore.format.npy;
