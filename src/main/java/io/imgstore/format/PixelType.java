package io.imgstore.format;

import java.util.Locale;

/** Sample type of an {@link Image}; names are numpy's dtype names as written in {@code imgdtype}. */
public enum PixelType {
    UINT8("uint8", 1, 255),
    UINT16("uint16", 2, 65535);

    private final String dtype;
    private final int bytes;
    private final int maxValue;

    PixelType(String dtype, int bytes, int maxValue) {
        this.dtype = dtype;
        this.bytes = bytes;
        this.maxValue = maxValue;
    }

    /** numpy dtype name, e.g. {@code uint8}. */
    public String dtype() {
        return dtype;
    }

    /** bytes per sample. */
    public int bytes() {
        return bytes;
    }

    public int maxValue() {
        return maxValue;
    }

    /**
     * Parses a numpy dtype name ({@code uint8}, {@code uint16}, also {@code <u2}, {@code |u1}).
     *
     * @throws UnsupportedFormatException for any other dtype
     */
    public static PixelType ofDtype(String dtype) {
        String d = dtype == null ? "" : dtype.trim().toLowerCase(Locale.ROOT);
        switch (d) {
            case "uint8", "u1", "|u1", "<u1", "b", "ubyte":
                return UINT8;
            case "uint16", "u2", "<u2", "=u2":
                return UINT16;
            default:
                throw new UnsupportedFormatException("unsupported image dtype '" + dtype + "' (supported: uint8, uint16)");
        }
    }
}
