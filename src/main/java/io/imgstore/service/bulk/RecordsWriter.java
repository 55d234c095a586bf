package io.imgstore.service.bulk;

import io.imgstore.format.FrameInfo;
import io.imgstore.format.PixelView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The ingest record format ({@code application/x-imgstore-frames}, see {@code openapi/ingest.yaml}),
 * so a bulk answer can be POSTed as it is to {@code /stores/{id}/frames} of another store. Per frame:
 * 4-byte big-endian length N of the header, N bytes of UTF-8 JSON
 * {@code {"frame_number":7,"frame_time":1.5,"frame_index":3,"payload_length":786432,"shape":[512,512,3],"dtype":"uint8"}},
 * then {@code payload_length} bytes of raw pixels, C order, BGR, 16-bit samples little-endian.
 */
final class RecordsWriter implements FrameWriter {

    private final OutputStream out;
    private final byte[] scratch = new byte[SCRATCH_BYTES];

    RecordsWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void begin() {
    }

    @Override
    public void frame(FrameInfo info, PixelView pixels) throws IOException {
        StringBuilder h = new StringBuilder(160);
        h.append("{\"frame_number\":").append(info.frameNumber())
                .append(",\"frame_time\":").append(FrameWriter.time(info.frameTime()))
                .append(",\"frame_index\":").append(info.frameIndex())
                .append(",\"payload_length\":").append(pixels.byteCount())
                .append(",\"shape\":[").append(pixels.height()).append(',').append(pixels.width());
        if (pixels.channels() == 3) {
            h.append(",3");
        }
        h.append("],\"dtype\":\"").append(pixels.pixelType().dtype()).append("\"}");
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int n = header.length;
        out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.write(header);
        pixels.writeTo(out, scratch);
    }

    @Override
    public void end() throws IOException {
        out.flush();
    }
}
