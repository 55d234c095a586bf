/**
 * The format library's implementation: metadata YAML loading ({@code MetadataYaml}), chunk
 * indexes and the store index, journals, extra-data files (JSON and Motif HDF5), frame sources
 * for video and directory stores, and confinement of reads to a root. Not API: classes here may
 * change at any time, and only {@code io.imgstore.format..} may use them (an ArchUnit rule checks
 * it). Use {@link io.imgstore.format.ImgStore}, {@link io.imgstore.format.StoreMetadata},
 * {@link io.imgstore.format.StoreLayout} and {@link io.imgstore.format.npy.NpyImages} instead.
 */
package io.imgstore.format.internal;
