package io.imgstore.format.codec;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import java.util.Arrays;
import java.util.zip.Adler32;
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
 * chooses the deflate effort from the entropy of a sample of the frame's rows. Measured on decoded frames
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
        if (effort == Effort.STORED) {
            return stored(image);
        }
        byte[] raw = filtered(image);
        Deflated idat = deflate(raw, effort);
        byte[] ihdr = ihdr(image);
        int idatLen = idat.length();
        byte[] png = new byte[SIGNATURE.length + 12 + ihdr.length + 12 + idatLen + 12];
        int at = header(png, ihdr);
        at = chunk(png, at, "IDAT", idat.bytes(), idatLen);
        chunk(png, at, "IEND", ihdr, 0);
        return png;
    }

    private static byte[] ihdr(Image image) {
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, image.width());
        putInt(ihdr, 4, image.height());
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte) (image.channels() == 3 ? 2 : 0); // truecolour or gray
        // 10..12: deflate, adaptive filtering method 0, no interlace
        return ihdr;
    }

    /** Signature and IHDR chunk; returns where the next chunk starts. */
    private static int header(byte[] png, byte[] ihdr) {
        System.arraycopy(SIGNATURE, 0, png, 0, SIGNATURE.length);
        return chunk(png, SIGNATURE.length, "IHDR", ihdr, ihdr.length);
    }

    /** Largest stored deflate block. */
    private static final int STORED_BLOCK = 65535;

    /**
     * The stored form written straight into the PNG: zlib header, the scanlines (filter "none", RGB)
     * in stored deflate blocks of 64 KiB, Adler-32; one allocation of the file's size, no deflater.
     */
    private static byte[] stored(Image image) {
        int w = image.width();
        int h = image.height();
        int c = image.channels();
        int row = w * c;
        long rawLen = (long) (row + 1) * h;
        long blocks = Math.max(1, (rawLen + STORED_BLOCK - 1) / STORED_BLOCK);
        int idatLen = Math.toIntExact(2 + rawLen + 5 * blocks + 4);
        byte[] ihdr = ihdr(image);
        byte[] png = new byte[Math.addExact(SIGNATURE.length + 12 + ihdr.length + 12 + 12, idatLen)];
        int idatAt = header(png, ihdr);
        putInt(png, idatAt, idatLen);
        png[idatAt + 4] = 'I';
        png[idatAt + 5] = 'D';
        png[idatAt + 6] = 'A';
        png[idatAt + 7] = 'T';
        int at = idatAt + 8;
        png[at++] = 0x78; // zlib: deflate, 32 KiB window
        png[at++] = 0x01; // no preset dictionary, fastest; (0x7801 % 31 == 0)
        byte[] line = new byte[row + 1]; // filter byte "none", then the row
        Adler32 adler = new Adler32();
        long remaining = rawLen;
        int blockLeft = 0;
        for (int y = 0; y < h; y++) {
            scanline(image, y, false, line, 0);
            adler.update(line, 0, line.length);
            int off = 0;
            while (off < line.length) {
                if (blockLeft == 0) {
                    blockLeft = (int) Math.min(STORED_BLOCK, remaining);
                    png[at] = (byte) (remaining <= STORED_BLOCK ? 1 : 0); // BFINAL, BTYPE 00
                    png[at + 1] = (byte) blockLeft;
                    png[at + 2] = (byte) (blockLeft >>> 8);
                    png[at + 3] = (byte) ~blockLeft;
                    png[at + 4] = (byte) (~blockLeft >>> 8);
                    at += 5;
                }
                int n = Math.min(blockLeft, line.length - off);
                System.arraycopy(line, off, png, at, n);
                at += n;
                off += n;
                blockLeft -= n;
                remaining -= n;
            }
        }
        putInt(png, at, (int) adler.getValue());
        at += 4;
        CRC32 crc = new CRC32();
        crc.update(png, idatAt + 4, 4 + idatLen);
        putInt(png, at, (int) crc.getValue());
        at += 4;
        chunk(png, at, "IEND", ihdr, 0);
        return png;
    }

    /**
     * How much deflate effort the frame is worth: the order-0 entropy of its rows {@code 0, 32, 64, ...}
     * (every 32nd, or every {@code height / 16}th in frames under 512 rows) filtered "up" estimates
     * what Huffman coding would leave, and that ratio decides ({@link #MIN_SAVING}, {@link #REDUNDANT}).
     */
    public static Effort effortFor(Image image) {
        int w = image.width();
        int h = image.height();
        int row = w * image.channels();
        int every = Math.max(1, Math.min(SAMPLE_EVERY, h / 16));
        byte[] d = image.data();
        int[] histogram = new int[256];
        long n = 0;
        for (int y = 0; y < h; y += every) {
            int s = y * row;
            if (y == 0) {
                for (int x = 0; x < row; x++) {
                    histogram[d[s + x] & 0xff]++;
                }
            } else {
                for (int x = 0; x < row; x++) {
                    histogram[(d[s + x] - d[s + x - row]) & 0xff]++;
                }
            }
            n += row;
        }
        // Huffman coding gets within a few percent of the order-0 entropy; tables and block headers
        // are not counted, which matters only for frames too small to matter.
        double bits = 0;
        for (int count : histogram) {
            if (count > 0) {
                double p = count / (double) n;
                bits -= p * Math.log(p);
            }
        }
        double ratio = bits / Math.log(2) / 8;
        if (ratio > 1 - MIN_SAVING) {
            return Effort.STORED;
        }
        return ratio > REDUNDANT ? Effort.HUFFMAN : Effort.FAST;
    }

    /** PNG scanlines filtered "up" (the first row has nothing above it: filter "none"). */
    private static byte[] filtered(Image image) {
        int row = image.width() * image.channels();
        int h = image.height();
        byte[] out = new byte[Math.multiplyExact(row + 1, h)];
        for (int y = 0; y < h; y++) {
            scanline(image, y, y > 0, out, y * (row + 1));
        }
        return out;
    }

    /**
     * Row {@code y} as a PNG scanline at {@code out[at]}: the filter byte, then the samples (RGB for
     * BGR input), minus the row above when {@code up}.
     */
    private static void scanline(Image image, int y, boolean up, byte[] out, int at) {
        int c = image.channels();
        int row = image.width() * c;
        byte[] d = image.data();
        int s = y * row;
        int o = at + 1;
        out[at] = (byte) (up ? FILTER_UP : FILTER_NONE);
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

    private record Deflated(byte[] bytes, int length) {
    }

    private static Deflated deflate(byte[] raw, Effort effort) {
        Deflater def = new Deflater(1);
        try {
            if (effort == Effort.HUFFMAN) {
                def.setStrategy(Deflater.HUFFMAN_ONLY);
            }
            def.setInput(raw);
            def.finish();
            // deflate's output can exceed its input by 5 bytes per 64 KiB block, plus header and checksum
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
