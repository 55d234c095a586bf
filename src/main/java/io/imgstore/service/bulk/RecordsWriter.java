package io.imgstore.service.bulk;

import io.imgstore.format.Frame;
import io.imgstore.format.Image;
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

    RecordsWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void begin() {
    }

    @Override
    public void frame(Frame frame) throws IOException {
        Image img = frame.image();
        StringBuilder h = new StringBuilder(160);
        h.append("{\"frame_number\":").append(frame.frameNumber())
                .append(",\"frame_time\":").append(FrameWriter.time(frame.frameTime()))
                .append(",\"frame_index\":").append(frame.frameIndex())
                .append(",\"payload_length\":").append(img.data().length)
                .append(",\"shape\":[").append(img.height()).append(',').append(img.width());
        if (img.channels() == 3) {
            h.append(",3");
        }
        h.append("],\"dtype\":\"").append(img.pixelType().dtype()).append("\"}");
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int n = header.length;
        out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.write(header);
        out.write(img.data());
    }

    @Override
    public void end() throws IOException {
        out.flush();
    }
}
