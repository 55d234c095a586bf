package io.imgstore.cli;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.codec.CodecInfo;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.npy.NpyImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code imgstore formats [--json]}: imgstore's {@code get_supported_formats()} for this build:
 * every store format, and whether this machine's FFmpeg/OpenCV can read and write it (probed:
 * codecs looked up, image types encoded and decoded once). {@code test} is the thorough check.
 */
@Command(name = "formats", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = "List the store formats this build reads and writes (probing the codecs), like imgstore's "
                + "get_supported_formats().")
final class FormatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "one JSON object: formats, h264_encoder, libraries")
    boolean json;

    /** One format and what works here. */
    record Support(String format, String storeClass, String extension, boolean lossless, boolean read, boolean write,
                   String codec) {
    }

    static List<Support> probe() {
        String h264 = CodecInfo.h264Encoder();
        List<Support> out = new ArrayList<>();
        for (StoreFormat f : StoreFormat.SUPPORTED) {
            boolean read;
            boolean write;
            String codec;
            if (f.equals(StoreFormat.MJPEG_AVI)) {
                read = CodecInfo.hasDecoder("mjpeg");
                write = CodecInfo.hasEncoder("mjpeg");
                codec = "mjpeg";
            } else if (f.video()) {
                read = CodecInfo.hasDecoder("h264");
                write = h264 != null;
                codec = "h264" + (h264 == null ? " (no encoder)" : ", encoder " + h264);
            } else if (f.equals(StoreFormat.NPY)) {
                read = write = npyRoundTrip();
                codec = "numpy .npy (Java)";
            } else {
                read = write = imageRoundTrip(f.extension());
                codec = "OpenCV imgcodecs";
            }
            out.add(new Support(f.name(), f.storeClass(), f.extension(), f.lossless(), read, write, codec));
        }
        return out;
    }

    private static boolean imageRoundTrip(String extension) {
        try {
            Image img = Image.blank(2, 2, extension.equals(".pgm") ? 1 : 3, PixelType.UINT8);
            return ImageCodec.decode(ImageCodec.encode(img, extension, ImageCodec.DEFAULT_JPEG_QUALITY), img.isColor())
                    .width() == 2;
        } catch (ImgStoreException | UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static boolean npyRoundTrip() {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            NpyImages.write(buf, Image.blank(2, 2, 1, PixelType.UINT8));
            return buf.size() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Support> formats = probe();
        String h264 = CodecInfo.h264Encoder();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Map<String, Object>> list = new ArrayList<>();
            for (Support s : formats) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("format", s.format());
                f.put("class", s.storeClass());
                f.put("extension", s.extension());
                f.put("lossless", s.lossless());
                f.put("read", s.read());
                f.put("write", s.write());
                f.put("codec", s.codec());
                list.add(f);
            }
            m.put("formats", list);
            m.put("h264_encoder", h264);
            m.put("libraries", CodecInfo.versions());
            out.println(InfoCommand.JSON.writeValueAsString(m));
        } else {
            out.printf("%-10s %-17s %-5s %-8s %-4s %-5s %s%n", "format", "class", "ext", "lossless", "read", "write",
                    "codec");
            for (Support s : formats) {
                out.printf("%-10s %-17s %-5s %-8s %-4s %-5s %s%n", s.format(), s.storeClass(), s.extension(),
                        yesNo(s.lossless()), yesNo(s.read()), yesNo(s.write()), s.codec());
            }
            out.println("H.264 encoder: " + (h264 == null ? "none" : h264));
            out.println(CodecInfo.versions());
        }
        out.flush();
        return 0;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
