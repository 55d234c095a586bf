package io.imgstore.service.bulk;

import io.imgstore.format.FrameInfo;
import io.imgstore.format.PixelType;
import io.imgstore.format.PixelView;
import io.imgstore.format.npy.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * An npz (zip) written as the frames are decoded: {@code frame_number.npy} ({@code <i8}, n) and
 * {@code frame_time.npy} ({@code <f8}, n) first (from the index), then {@code frames.npy}
 * {@code (n, h, w[, 3])}. Entries are deflate level 0 (stored blocks, no compression work): a zip
 * entry whose CRC is not known before its data can only be streamed that way with
 * {@link ZipOutputStream} (its STORED entries need size and CRC up front). Zip64 where needed.
 */
final class NpzWriter implements FrameWriter {

    private final ZipOutputStream zip;
    private final NpyWriter frames;
    private final long[] numbers;
    private final double[] times;

    NpzWriter(OutputStream out, long[] numbers, double[] times, int[] frameShape, PixelType pixelType) {
        this.zip = new ZipOutputStream(out);
        this.zip.setLevel(Deflater.NO_COMPRESSION);
        this.numbers = numbers;
        this.times = times;
        this.frames = new NpyWriter(zip, numbers.length, frameShape, pixelType);
    }

    @Override
    public void begin() throws IOException {
        ByteBuffer n = ByteBuffer.allocate(numbers.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : numbers) {
            n.putLong(v);
        }
        member("frame_number.npy", Npy.header("<i8", new int[] {numbers.length}), n.array());
        ByteBuffer t = ByteBuffer.allocate(times.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : times) {
            t.putDouble(v);
        }
        member("frame_time.npy", Npy.header("<f8", new int[] {times.length}), t.array());
        zip.putNextEntry(new ZipEntry("frames.npy"));
        frames.begin();
    }

    private void member(String name, byte[] header, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(header);
        zip.write(data);
        zip.closeEntry();
    }

    @Override
    public void frame(FrameInfo info, PixelView pixels) throws IOException {
        frames.frame(info, pixels);
    }

    @Override
    public void end() throws IOException {
        frames.end();
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }
}
