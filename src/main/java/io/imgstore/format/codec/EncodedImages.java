package io.imgstore.format.codec;

/**
 * The dimensions a PNG or JPEG declares in its header, read without decoding, so that a small file
 * claiming a huge image can be refused before a decoder allocates for it.
 */
public final class EncodedImages {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private EncodedImages() {
    }

    /** True for the PNG signature. */
    public static boolean isPng(byte[] b) {
        if (b.length < PNG.length) {
            return false;
        }
        for (int i = 0; i < PNG.length; i++) {
            if (b[i] != PNG[i]) {
                return false;
            }
        }
        return true;
    }

    /** True for the JPEG start-of-image marker. */
    public static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
    }

    /**
     * {@code [width, height]} from a PNG's IHDR or a JPEG's first start-of-frame segment; null when the
     * bytes are neither or the header is unreadable.
     */
    public static int[] dimensions(byte[] b) {
        if (isPng(b)) {
            if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
                return null;
            }
            long w = u32(b, 16);
            long h = u32(b, 20);
            return w > Integer.MAX_VALUE || h > Integer.MAX_VALUE ? new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE}
                    : new int[] {(int) w, (int) h};
        }
        if (isJpeg(b)) {
            int p = 2;
            while (p + 3 < b.length) {
                if ((b[p] & 0xff) != 0xff) {
                    return null;
                }
                int marker = b[p + 1] & 0xff;
                if (marker == 0xff) { // fill byte
                    p++;
                    continue;
                }
                if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { // no length
                    p += 2;
                    continue;
                }
                if (marker == 0xd9 || marker == 0xda) { // end of image or start of scan before any frame
                    return null;
                }
                int len = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
                if (len < 2) {
                    return null;
                }
                boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
                if (sof) {
                    if (p + 8 >= b.length) {
                        return null;
                    }
                    int h = ((b[p + 5] & 0xff) << 8) | (b[p + 6] & 0xff);
                    int w = ((b[p + 7] & 0xff) << 8) | (b[p + 8] & 0xff);
                    return new int[] {w, h};
                }
                p += 2 + len;
            }
        }
        return null;
    }

    private static long u32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }
}
