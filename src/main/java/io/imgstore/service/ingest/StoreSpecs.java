package io.imgstore.service.ingest;

import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.UnsupportedFormatException;
import io.imgstore.format.codec.VideoEncoderSettings;
import io.imgstore.service.web.BadRequestException;

/** {@code POST /stores} request to {@link StoreSpec}: the checks and defaults of a new store. */
final class StoreSpecs {

    private StoreSpecs() {
    }

    /**
     * The spec of a new store; frames larger than {@code maxFrameBytes} (h x w x channels x bytes per
     * sample, computed without overflow) are refused before anything is created or allocated.
     */
    static StoreSpec of(CreateStoreRequest req, long maxFrameBytes) {
        if (req.format() == null || req.format().isBlank()) {
            throw new UnsupportedFormatException("format is required, e.g. \"avc1/mp4\" or \"npy\"");
        }
        StoreFormat format = StoreFormat.of(req.format());
        if (format.name().equals("mjpeg") || !StoreFormat.SUPPORTED.contains(format)) {
            throw new UnsupportedFormatException("cannot write format '" + req.format() + "'");
        }
        if (req.imgshape() == null || req.imgshape().stream().anyMatch(v -> v == null)) {
            throw new BadRequestException("imgshape is required: [h, w] or [h, w, 3]");
        }
        int[] shape = req.imgshape().stream().mapToInt(Integer::intValue).toArray();
        PixelType type = PixelType.ofDtype(req.imgdtype() == null ? "uint8" : req.imgdtype());
        int chunksize = req.chunksize() == null ? StoreSpec.defaultChunksize(format) : req.chunksize();
        VideoEncoderSettings enc = null;
        if (format.equals(StoreFormat.AVC1_MP4)) {
            // fragmented: a chunk being written stays playable up to its last keyframe if the server is killed
            enc = VideoEncoderSettings.defaults().withFragmented(true);
        } else if (format.equals(StoreFormat.MJPEG_AVI)) {
            enc = VideoEncoderSettings.mjpegDefaults();
        } else if (format.video()) {
            enc = VideoEncoderSettings.defaults();
        }
        String encoding = req.encoding() == null || req.encoding().isBlank() ? null : req.encoding();
        StoreSpec spec = new StoreSpec(format, shape, type, chunksize, req.userMetadata(), encoding, enc);
        if (shape[0] > 65536 || shape[1] > 65536 || (long) shape[0] * shape[1] > 268_435_456L) {
            throw new BadRequestException("imgshape too large: " + java.util.Arrays.toString(shape));
        }
        long frameBytes;
        try {
            frameBytes = RecordDecoder.frameBytes(shape, type);
        } catch (ArithmeticException e) {
            frameBytes = Long.MAX_VALUE;
        }
        if (frameBytes > maxFrameBytes) {
            throw new BadRequestException("a frame of imgshape " + java.util.Arrays.toString(shape) + " "
                    + type.dtype() + " has " + (frameBytes == Long.MAX_VALUE ? "too many" : String.valueOf(frameBytes))
                    + " bytes, more than imgstore.ingest.max-frame-bytes (" + maxFrameBytes + ")");
        }
        return spec;
    }
}
