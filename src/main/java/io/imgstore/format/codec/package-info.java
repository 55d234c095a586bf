/**
 * The one place that talks to JavaCV (FFmpeg and OpenCV). Everything that leaves this package is
 * a plain-Java {@link io.imgstore.format.Image}: native frames and Mats are created, used and
 * closed inside these classes, deterministically.
 */
package io.imgstore.format.codec;
