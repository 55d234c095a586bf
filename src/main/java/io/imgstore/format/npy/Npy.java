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

    /** Header of an npy stream; {@link #isObject()} arrays must be skipped, not read. */
    public record Header(String descr, boolean fortranOrder, int[] shape) {

        public boolean isObject() {
            return descr.contains("O");
        }

        public long size() {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
    }

    /** Reads the header, leaving the stream at the first data byte. */
    public static Header readHeader(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
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
        if (major == 1) {
            len = d.readUnsignedByte() | (d.readUnsignedByte() << 8);
        } else if (major == 2 || major == 3) {
            len = (d.readUnsignedByte() | (d.readUnsignedByte() << 8) | (d.readUnsignedByte() << 16))
                    | ((long) d.readUnsignedByte() << 24);
        } else {
            throw new CorruptStoreException("unsupported npy version " + major);
        }
        if (len > 1 << 20) {
            throw new CorruptStoreException("npy header too long: " + len);
        }
        byte[] hb = new byte[(int) len];
        d.readFully(hb);
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher m = DESCR.matcher(header);
        String descr;
        if (m.find()) {
            descr = m.group(1);
        } else if (header.contains("'descr'")) {
            descr = "|O"; // structured dtype (a list): treat like an object array: never read
        } else {
            throw new CorruptStoreException("npy header without descr: " + header.trim());
        }
        Matcher f = FORTRAN.matcher(header);
        boolean fortran = f.find() && f.group(1).equals("True");
        Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw new CorruptStoreException("npy header without shape: " + header.trim());
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String t = part.trim().replace("L", "");
            if (!t.isEmpty()) {
                dims.add(Integer.parseInt(t));
            }
        }
        return new Header(normalise(descr), fortran, dims.stream().mapToInt(Integer::intValue).toArray());
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
     * Reads a whole npy stream.
     *
     * @throws CorruptStoreException for object arrays, Fortran order or truncated data
     */
    public static NpyArray read(InputStream in) throws IOException {
        Header h = readHeader(in);
        if (h.isObject()) {
            throw new CorruptStoreException("npy object array (pickle) refused: dtype " + h.descr());
        }
        if (h.fortranOrder() && h.shape().length > 1) {
            throw new CorruptStoreException("Fortran-ordered npy arrays are not supported");
        }
        long bytes = h.size() * NpyArray.itemSize(h.descr());
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new CorruptStoreException("npy array too large: " + bytes + " bytes");
        }
        byte[] data = new byte[(int) bytes];
        try {
            new DataInputStream(in).readFully(data);
        } catch (EOFException e) {
            throw new CorruptStoreException("npy data truncated: expected " + bytes + " bytes", e);
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
