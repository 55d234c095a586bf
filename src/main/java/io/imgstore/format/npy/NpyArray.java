package io.imgstore.format.npy;

import io.imgstore.format.CorruptStoreException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One numpy array as stored in a {@code .npy} file: dtype descriptor, shape and raw C-order data.
 * Only plain (non-object) dtypes are ever materialised; object arrays (pickles) are never read.
 *
 * @param descr numpy dtype descriptor, e.g. {@code <i8}, {@code <f8}, {@code |u1}, {@code <U12}
 * @param shape the array's shape ({@code []} for a scalar)
 * @param data  the raw bytes in C order
 */
public record NpyArray(String descr, int[] shape, byte[] data) {

    /** Number of elements (1 for a scalar). */
    public long size() {
        long n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, (long) s);
        }
        return n;
    }

    /** Bytes per element from the descriptor. */
    public int itemSize() {
        return itemSize(descr);
    }

    static int itemSize(String descr) {
        long n = itemSizeLong(descr);
        if (n > Integer.MAX_VALUE) {
            throw new CorruptStoreException("npy dtype '" + descr + "' has items of " + n + " bytes");
        }
        return (int) n;
    }

    /** Bytes per element of a plain descriptor ({@code <i8}, {@code <U12}, ...). */
    static long itemSizeLong(String descr) {
        if (descr == null || descr.length() < 3) {
            throw new CorruptStoreException("bad npy dtype '" + descr + "'");
        }
        char kind = descr.charAt(1);
        long n;
        try {
            n = Long.parseLong(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new CorruptStoreException("unsupported npy dtype '" + descr + "'");
        }
        if (n <= 0 || n > 1 << 20) {
            throw new CorruptStoreException("unsupported npy dtype '" + descr + "'");
        }
        return kind == 'U' ? n * 4 : n;
    }

    private ByteOrder order() {
        return descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** Elements as longs; accepts any integer, bool or (integral-valued) float dtype. */
    public long[] toLongs() {
        int n = checkedCount();
        long[] out = new long[n];
        ByteBuffer b = ByteBuffer.wrap(data).order(order());
        char kind = descr.charAt(1);
        int size = itemSize();
        for (int i = 0; i < n; i++) {
            out[i] = switch (kind) {
                case 'i' -> switch (size) {
                    case 1 -> b.get();
                    case 2 -> b.getShort();
                    case 4 -> b.getInt();
                    case 8 -> b.getLong();
                    default -> throw unsupported();
                };
                case 'u', 'b' -> switch (size) {
                    case 1 -> b.get() & 0xffL;
                    case 2 -> b.getShort() & 0xffffL;
                    case 4 -> b.getInt() & 0xffffffffL;
                    case 8 -> b.getLong();
                    default -> throw unsupported();
                };
                case 'f' -> switch (size) {
                    case 4 -> (long) b.getFloat();
                    case 8 -> (long) b.getDouble();
                    default -> throw unsupported();
                };
                default -> throw unsupported();
            };
        }
        return out;
    }

    /** Elements as doubles; accepts any integer or float dtype. */
    public double[] toDoubles() {
        char kind = descr.charAt(1);
        if (kind != 'f') {
            return Arrays.stream(toLongs()).asDoubleStream().toArray();
        }
        int n = checkedCount();
        double[] out = new double[n];
        ByteBuffer b = ByteBuffer.wrap(data).order(order());
        for (int i = 0; i < n; i++) {
            out[i] = switch (itemSize()) {
                case 4 -> b.getFloat();
                case 8 -> b.getDouble();
                default -> throw unsupported();
            };
        }
        return out;
    }

    /** The element count, checked against the data actually held. */
    private int checkedCount() {
        long n;
        try {
            n = Math.multiplyExact(size(), (long) itemSize());
        } catch (ArithmeticException e) {
            throw new CorruptStoreException("npy array " + this + " is too large");
        }
        if (n != data.length) {
            throw new CorruptStoreException("npy array " + this + " holds " + data.length + " bytes, expected " + n);
        }
        return (int) size();
    }

    private CorruptStoreException unsupported() {
        return new CorruptStoreException("unsupported numeric dtype '" + descr + "'");
    }

    public static NpyArray ofLongs(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return new NpyArray("<i8", new int[] {values.length}, b.array());
    }

    public static NpyArray ofDoubles(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return new NpyArray("<f8", new int[] {values.length}, b.array());
    }

    /** A 0-d int64 array, as {@code np.savez} stores a Python int. */
    public static NpyArray scalarLong(long value) {
        return new NpyArray("<i8", new int[0], ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    /** A 0-d unicode array, as {@code np.savez} stores a Python str. */
    public static NpyArray scalarString(String value) {
        int[] cps = value.codePoints().toArray();
        int n = Math.max(1, cps.length);
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int cp : cps) {
            b.putInt(cp);
        }
        return new NpyArray("<U" + n, new int[0], b.array());
    }

    /** The elements of a unicode ({@code <U}) array as strings. */
    public String[] toStrings() {
        if (descr.charAt(1) != 'U') {
            throw new CorruptStoreException("dtype '" + descr + "' is not a unicode string array");
        }
        int n = Math.toIntExact(size());
        int chars = Integer.parseInt(descr.substring(2));
        String[] out = new String[n];
        ByteBuffer b = ByteBuffer.wrap(data).order(order());
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < chars; c++) {
                int cp = b.getInt();
                if (cp != 0) {
                    sb.appendCodePoint(cp);
                }
            }
            out[i] = sb.toString();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && descr.equals(other.descr) && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return descr.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NpyArray[" + descr + " " + Arrays.toString(shape) + "]";
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
