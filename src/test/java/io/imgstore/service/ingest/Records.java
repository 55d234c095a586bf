package io.imgstore.service.ingest;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.testing.Barcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Builds ingest wire-format records for tests. */
final class Records {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Records() {
    }

    /** A record with a raw barcode frame. */
    static byte[] raw(long number, double time, int h, int w, int channels, Map<String, Object> extra) {
        Image img = Barcode.draw(number, h, w, channels, PixelType.UINT8);
        return record(header(number, time, extra, null, img.data().length), img.data());
    }

    static Map<String, Object> header(long number, double time, Map<String, Object> extra, String payload, long length) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("frame_number", number);
        h.put("frame_time", time);
        if (extra != null) {
            h.put("extra", extra);
        }
        if (payload != null) {
            h.put("payload", payload);
        }
        if (length >= 0) {
            h.put("payload_length", length);
        }
        return h;
    }

    static byte[] record(Map<String, Object> header, byte[] payload) {
        return record(JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8), payload);
    }

    static byte[] record(byte[] header, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + header.length + payload.length);
        b.putInt(header.length).put(header).put(payload);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Records for frames {@code from} until {@code to} (exclusive), time = 1000 + number / 25. */
    static byte[] frames(long from, long to, int h, int w, int channels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long n = from; n < to; n++) {
            out.writeBytes(raw(n, 1000 + n / 25.0, h, w, channels, null));
        }
        return out.toByteArray();
    }
}
