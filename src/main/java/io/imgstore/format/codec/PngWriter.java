package io.imgstore.format.codec;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A fast PNG encoder for 8-bit gray and BGR frames, for serving: it spends deflate time only where
 * the frame's content pays it back.
 *
 * <p>Why not OpenCV here: {@code imencode(".png")} (libpng) always runs libpng's adaptive filter
 * selection (every filter on every row), which costs ~7.7 ms on a noisy 512x512 colour frame even
 * with compression level 0, and OpenCV 4.11 offers no filter parameter. This class writes the three
 * chunks of a PNG (IHDR, IDAT, IEND; CRC32 and deflate from the JDK) with one fixed filter, and
 * chooses the deflate effort from a sample of the frame's rows. Measured on decoded frames
 * ({@code PngOptionsBench}, docs/performance.md): deflate costs 7-24 ms on frames of camera noise
 * (512x512 colour to 1920x1200 gray) for a 25-40 % saving, while storing costs 0.7-1.8 ms; on a
 * real Motif frame (flat background) level 1 is as fast as OpenCV and smaller. Hence:
 *
 * <ul>
 *   <li>the sample saves less than {@link #MIN_SAVING} (sensor noise): stored (deflate level 0);</li>
 *   <li>the sample saves more, down to {@link #REDUNDANT} of its size: filter "up", Huffman-only
 *       deflate (no string search: its time does not depend on the content);</li>
 *   <li>highly redundant content (flat backgrounds, the sample shrinks to a quarter or less):
 *       filter "up", deflate level 1, whose string matches are both fast and effective there.</li>
 * </ul>
 *
 * Other images (16-bit, other channel counts) are left to {@link ImageCodec#encode}. Every PNG this
 * writes is a plain, non-interlaced 8-bit PNG any decoder reads; gray stays gray, BGR becomes RGB.
 */
public final class PngWriter {

    /** Least fraction of bytes a sample must save for the frame to be deflated at all. */
    public static final double MIN_SAVING = 0.5;

    /** Sample ratio at or below which the frame counts as highly redundant (deflate level 1). */
    static final double REDUNDANT = 0.25;

    /** Every how many rows (at most) one is sampled to estimate compressibility. */
    static final int SAMPLE_EVERY = 32;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int FILTER_NONE = 0;
    private static final int FILTER_UP = 2;

    /** The deflate effort chosen for a frame (for tests and diagnostics). */
    public enum Effort {
        /** Deflate level 0: the pixels as they are, in stored blocks (filter "none"). */
        STORED,
        /** Filter "up", Huffman coding only. */
        HUFFMAN,
        /** Filter "up", deflate level 1. */
        FAST
    }

    private PngWriter() {
    }

    /** True for images this writer encodes: 8-bit, 1 or 3 channels. */
    public static boolean supports(Image image) {
        return image.pixelType() == PixelType.UINT8 && (image.channels() == 1 || image.channels() == 3);
    }

    /** The image as a PNG, deflate effort chosen from its content. */
    public static byte[] encode(Image image) {
        return encode(image, effortFor(image));
    }

    /**
     * The image as a PNG with the given effort.
     *
     * @throws IllegalArgumentException if {@link #supports} is false
     */
    public static byte[] encode(Image image, Effort effort) {
        if (!supports(image)) {
            throw new IllegalArgumentException("PngWriter encodes 8-bit gray or BGR images, not " + image);
        }
        int filter = effort == Effort.STORED ? FILTER_NONE : FILTER_UP;
        byte[] raw = filtered(image, filter);
        Deflated idat = deflate(raw, effort);
        int w = image.width();
        int h = image.height();
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte) (image.channels() == 3 ? 2 : 0); // truecolour or gray
        // 10..12: deflate, adaptive filtering method 0, no interlace
        int idatLen = idat.length();
        byte[] png = new byte[SIGNATURE.length + 12 + ihdr.length + 12 + idatLen + 12];
        System.arraycopy(SIGNATURE, 0, png, 0, SIGNATURE.length);
        int at = SIGNATURE.length;
        at = chunk(png, at, "IHDR", ihdr, ihdr.length);
        at = chunk(png, at, "IDAT", idat.bytes(), idatLen);
        chunk(png, at, "IEND", ihdr, 0);
        return png;
    }

    /**
     * How much deflate effort the frame is worth: its rows {@code 0, 32, 64, ...} (every 32nd, or
     * every {@code height / 16}th in frames under 512 rows) filtered "up" are
     * Huffman-coded, and the ratio decides ({@link #MIN_SAVING}, {@link #REDUNDANT}).
     */
    public static Effort effortFor(Image image) {
        int w = image.width();
        int h = image.height();
        int row = w * image.channels();
        int every = Math.max(1, Math.min(SAMPLE_EVERY, h / 16)); // at least ~16 rows: Huffman tables cost bytes too
        int rows = (h + every - 1) / every;
        byte[] sample = new byte[Math.multiplyExact(rows, row)];
        byte[] d = image.data();
        for (int i = 0; i < rows; i++) {
            int y = i * every;
            int s = y * row;
            int o = i * row;
            if (y == 0) {
                System.arraycopy(d, s, sample, o, row);
            } else {
                for (int x = 0; x < row; x++) {
                    sample[o + x] = (byte) (d[s + x] - d[s + x - row]);
                }
            }
        }
        Deflater def = new Deflater(1, true);
        try {
            def.setStrategy(Deflater.HUFFMAN_ONLY);
            def.setInput(sample);
            def.finish();
            byte[] sink = new byte[64 * 1024];
            long out = 0;
            while (!def.finished()) {
                out += def.deflate(sink);
            }
            double ratio = out / (double) Math.max(1, sample.length);
            if (ratio > 1 - MIN_SAVING) {
                return Effort.STORED;
            }
            return ratio > REDUNDANT ? Effort.HUFFMAN : Effort.FAST;
        } finally {
            def.end();
        }
    }

    /** PNG scanlines: a filter byte, then the row (RGB for BGR input), filtered. */
    private static byte[] filtered(Image image, int filter) {
        int w = image.width();
        int h = image.height();
        int c = image.channels();
        int row = w * c;
        byte[] d = image.data();
        byte[] out = new byte[Math.multiplyExact(row + 1, h)];
        for (int y = 0; y < h; y++) {
            int o = y * (row + 1);
            int s = y * row;
            boolean up = filter == FILTER_UP && y > 0;
            out[o++] = (byte) (up ? FILTER_UP : FILTER_NONE);
            if (c == 1) {
                if (up) {
                    for (int x = 0; x < row; x++) {
                        out[o + x] = (byte) (d[s + x] - d[s + x - row]);
                    }
                } else {
                    System.arraycopy(d, s, out, o, row);
                }
            } else if (up) {
                for (int x = 0; x < row; x += 3) {
                    out[o + x] = (byte) (d[s + x + 2] - d[s + x + 2 - row]);
                    out[o + x + 1] = (byte) (d[s + x + 1] - d[s + x + 1 - row]);
                    out[o + x + 2] = (byte) (d[s + x] - d[s + x - row]);
                }
            } else {
                for (int x = 0; x < row; x += 3) {
                    out[o + x] = d[s + x + 2];
                    out[o + x + 1] = d[s + x + 1];
                    out[o + x + 2] = d[s + x];
                }
            }
        }
        return out;
    }

    private record Deflated(byte[] bytes, int length) {
    }

    private static Deflated deflate(byte[] raw, Effort effort) {
        Deflater def = new Deflater(effort == Effort.STORED ? 0 : 1);
        try {
            if (effort == Effort.HUFFMAN) {
                def.setStrategy(Deflater.HUFFMAN_ONLY);
            }
            def.setInput(raw);
            def.finish();
            // zlib's bound for stored blocks: 5 bytes per 64 KiB block, plus header and checksum
            byte[] buf = new byte[raw.length + (raw.length >>> 12) + 64];
            int n = 0;
            while (!def.finished()) {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length + (buf.length >>> 1));
                }
                n += def.deflate(buf, n, buf.length - n);
            }
            return new Deflated(buf, n);
        } finally {
            def.end();
        }
    }

    private static int chunk(byte[] png, int at, String type, byte[] data, int len) {
        putInt(png, at, len);
        for (int i = 0; i < 4; i++) {
            png[at + 4 + i] = (byte) type.charAt(i);
        }
        System.arraycopy(data, 0, png, at + 8, len);
        CRC32 crc = new CRC32();
        crc.update(png, at + 4, 4 + len);
        putInt(png, at + 8 + len, (int) crc.getValue());
        return at + 12 + len;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
