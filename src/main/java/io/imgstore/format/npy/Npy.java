package io.imgstore.format.npy;

import io.imgstore.format.CorruptStoreException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the numpy {@code .npy} format (versions 1.0 to 3.0). Hand-written because the
 * format is a 10-line header plus raw bytes and no maintained Java library reads it without also
 * pulling a pickle implementation; object (pickled) arrays are refused, never unpickled.
 */
public final class Npy {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Longest header accepted (numpy writes 64-byte aligned headers of ~128 bytes). */
    static final int MAX_HEADER_BYTES = 1 << 20;
    private static final Pattern PLAIN_DESCR = Pattern.compile("[<>|][biufcUS]\\d{1,9}");

    /**
     * Header of an npy stream; {@link #isObject()} arrays must be skipped, not read.
     *
     * @param headerBytes bytes from the start of the stream to the first data byte (magic, version, length, dict)
     */
    public record Header(String descr, boolean fortranOrder, int[] shape, int headerBytes) {

        public Header(String descr, boolean fortranOrder, int[] shape) {
            this(descr, fortranOrder, shape, -1);
        }

        /** True for object (pickled) and other arrays that are never materialised (structured, datetime, ...). */
        public boolean isObject() {
            return descr.contains("O") || !PLAIN_DESCR.matcher(descr).matches();
        }

        /** Number of elements. @throws CorruptStoreException when it overflows a long */
        public long size() {
            long n = 1;
            try {
                for (int s : shape) {
                    n = Math.multiplyExact(n, (long) s);
                }
            } catch (ArithmeticException e) {
                throw new CorruptStoreException("npy shape " + java.util.Arrays.toString(shape) + " is too large");
            }
            return n;
        }

        /** Bytes of data the header declares (elements x item size). @throws CorruptStoreException on overflow */
        public long dataBytes() {
            if (isObject()) {
                throw new CorruptStoreException("npy dtype '" + descr + "' has no fixed size");
            }
            try {
                return Math.multiplyExact(size(), NpyArray.itemSizeLong(descr));
            } catch (ArithmeticException e) {
                throw new CorruptStoreException("npy array " + descr + " " + java.util.Arrays.toString(shape)
                        + " is too large");
            }
        }
    }

    /**
     * Reads the header, leaving the stream at the first data byte.
     *
     * @throws CorruptStoreException for anything that is not a well-formed npy header (bad magic, version,
     *                               length, dict, dtype or shape, or a stream that ends inside the header)
     * @throws IOException           when the stream cannot be read
     */
    public static Header readHeader(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        try {
            byte[] magic = new byte[6];
            d.readFully(magic);
            for (int i = 0; i < 6; i++) {
                if (magic[i] != MAGIC[i]) {
                    throw new CorruptStoreException("not an npy file (bad magic)");
                }
            }
            int major = d.readUnsignedByte();
            d.readUnsignedByte();
            long len;
            int prefix;
            if (major == 1) {
                len = d.readUnsignedByte() | (d.readUnsignedByte() << 8);
                prefix = 10;
            } else if (major == 2 || major == 3) {
                len = (d.readUnsignedByte() | (d.readUnsignedByte() << 8) | (d.readUnsignedByte() << 16))
                        | ((long) d.readUnsignedByte() << 24);
                prefix = 12;
            } else {
                throw new CorruptStoreException("unsupported npy version " + major);
            }
            if (len > MAX_HEADER_BYTES) {
                throw new CorruptStoreException("npy header too long: " + len);
            }
            // read in pieces, so a header length beyond the real stream costs only what is there
            byte[] hb = d.readNBytes((int) len);
            if (hb.length < len) {
                throw new CorruptStoreException("npy header truncated: " + hb.length + " of " + len + " bytes");
            }
            String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher m = DESCR.matcher(header);
            String descr;
            if (m.find()) {
                descr = m.group(1);
            } else if (header.contains("'descr'")) {
                descr = "|O"; // structured dtype (a list): treat like an object array: never read
            } else {
                throw new CorruptStoreException("npy header without descr: " + abbreviate(header));
            }
            if (descr.isEmpty()) {
                throw new CorruptStoreException("npy header with an empty descr");
            }
            Matcher f = FORTRAN.matcher(header);
            boolean fortran = f.find() && f.group(1).equals("True");
            Matcher s = SHAPE.matcher(header);
            if (!s.find()) {
                throw new CorruptStoreException("npy header without shape: " + abbreviate(header));
            }
            List<Integer> dims = new ArrayList<>();
            for (String part : s.group(1).split(",", -1)) {
                String t = part.trim().replace("L", "");
                if (t.isEmpty()) {
                    continue;
                }
                int dim;
                try {
                    dim = Integer.parseInt(t);
                } catch (NumberFormatException e) {
                    throw new CorruptStoreException("npy header with a bad shape: (" + abbreviate(s.group(1)) + ")");
                }
                if (dim < 0) {
                    throw new CorruptStoreException("npy header with a negative dimension: " + dim);
                }
                dims.add(dim);
                if (dims.size() > 32) {
                    throw new CorruptStoreException("npy header with more than 32 dimensions");
                }
            }
            return new Header(normalise(descr), fortran, dims.stream().mapToInt(Integer::intValue).toArray(),
                    prefix + (int) len);
        } catch (EOFException e) {
            throw new CorruptStoreException("npy header truncated", e);
        }
    }

    private static String abbreviate(String text) {
        String t = text.trim();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static String normalise(String descr) {
        if (descr.length() >= 2 && "<>|=".indexOf(descr.charAt(0)) < 0) {
            descr = "=" + descr;
        }
        if (descr.charAt(0) == '=') {
            descr = (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "<" : ">") + descr.substring(1);
        }
        return descr;
    }

    /**
     * Reads a whole npy stream of unknown length. Memory is bounded by the bytes really present: a
     * header claiming more than the stream holds fails as truncated without allocating the claim.
     *
     * @throws CorruptStoreException for object arrays, Fortran order, bad headers or truncated data
     */
    public static NpyArray read(InputStream in) throws IOException {
        return read(in, -1, Long.MAX_VALUE);
    }

    /**
     * Reads an npy stream of exactly {@code streamBytes} bytes (the file or zip member size; -1: unknown),
     * whose data may not exceed {@code maxDataBytes}. The header must declare exactly the bytes that
     * follow it, checked before anything is allocated, and no byte past the declared data is read (so a
     * lying zip member never inflates beyond what its header allows).
     *
     * @throws CorruptStoreException when the header does not match the stream or the limit, or is malformed
     */
    public static NpyArray read(InputStream in, long streamBytes, long maxDataBytes) throws IOException {
        Header h = readHeader(in);
        return readData(in, h, streamBytes, maxDataBytes);
    }

    /** Reads the data of an array whose header was just read (see {@link #read(InputStream, long, long)}). */
    public static NpyArray readData(InputStream in, Header h, long streamBytes, long maxDataBytes) throws IOException {
        if (h.isObject()) {
            throw new CorruptStoreException("npy object array (pickle) or unsupported dtype refused: " + h.descr());
        }
        if (h.fortranOrder() && h.shape().length > 1) {
            throw new CorruptStoreException("Fortran-ordered npy arrays are not supported");
        }
        long bytes = h.dataBytes();
        if (streamBytes >= 0 && h.headerBytes() >= 0 && bytes != streamBytes - h.headerBytes()) {
            throw new CorruptStoreException("npy header declares " + h.descr() + " " + java.util.Arrays.toString(h.shape())
                    + " (" + bytes + " bytes) but " + Math.max(0, streamBytes - h.headerBytes()) + " bytes follow it");
        }
        if (bytes > maxDataBytes) {
            throw new CorruptStoreException("npy array " + h.descr() + " " + java.util.Arrays.toString(h.shape())
                    + " (" + bytes + " bytes) is larger than the limit of " + maxDataBytes + " bytes");
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new CorruptStoreException("npy array too large: " + bytes + " bytes");
        }
        // readNBytes grows its buffer as data arrives: a stream shorter than declared costs only what it holds
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) {
            throw new CorruptStoreException("npy data truncated: expected " + bytes + " bytes, found " + data.length);
        }
        return new NpyArray(h.descr(), h.shape(), data);
    }

    /** Writes a version 1.0 npy stream, header padded to 64 bytes as numpy does. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(header(array.descr(), array.shape()));
        out.write(array.data());
    }

    /** The serialised header for an array of this dtype and shape. */
    public static byte[] header(String descr, int[] shape) {
        StringBuilder shapeText = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            shapeText.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                shapeText.append(shape.length == 1 ? "," : ", ");
            }
        }
        shapeText.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String padded = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(MAGIC);
        b.write(1);
        b.write(0);
        int len = padded.length();
        b.write(len & 0xff);
        b.write((len >> 8) & 0xff);
        b.writeBytes(padded.getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    /** Little-endian helper for callers building arrays. */
    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
