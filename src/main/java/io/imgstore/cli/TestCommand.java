package io.imgstore.cli;

import io.imgstore.format.Frame;
import io.imgstore.format.FrameBarcode;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.CodecInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code imgstore test}: like Python's {@code imgstore-test}, writes a small store in every
 * supported format (gray and colour, and 16-bit where the format holds it), reads every frame
 * back in shuffled order and checks the barcode drawn into it. Exit code 1 when any format fails.
 */
@Command(name = "test", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = {"Write and read back every supported format on this machine; report what works.",
                "Prints one line per format as it goes (its progress)."})
final class TestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--frames", defaultValue = "23", description = "frames per store (default ${DEFAULT-VALUE})")
    int frames;

    /** One format/shape combination to check. */
    record Case(StoreFormat format, int channels, PixelType type) {
        String label() {
            return format.name() + (channels == 3 ? "+color" : "") + (type == PixelType.UINT16 ? " uint16" : "");
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (StoreFormat f : StoreFormat.SUPPORTED) {
            out.add(new Case(f, 1, PixelType.UINT8));
            if (f != StoreFormat.PGM) {
                out.add(new Case(f, 3, PixelType.UINT8));
            }
            if (f == StoreFormat.PNG || f == StoreFormat.TIF || f == StoreFormat.NPY || f == StoreFormat.PGM) {
                out.add(new Case(f, 1, PixelType.UINT16));
            }
        }
        return out;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.println("imgstore-java self test: " + CodecInfo.versions());
        out.println("H.264 encoder: " + (CodecInfo.h264Encoder() == null ? "none" : CodecInfo.h264Encoder()));
        Path tmp = Files.createTempDirectory("imgstore-test");
        int failed = 0;
        try {
            for (Case c : cases()) {
                String result;
                try {
                    result = check(c, tmp.resolve(c.label().replaceAll("[^A-Za-z0-9]+", "_")));
                } catch (ImgStoreException | IllegalStateException e) {
                    result = "FAIL " + e.getMessage();
                }
                if (result.startsWith("FAIL")) {
                    failed++;
                }
                out.printf("%-22s %s%n", c.label(), result);
                out.flush();
            }
        } finally {
            deleteTree(tmp);
        }
        out.println(failed == 0 ? "all formats OK" : failed + " format(s) FAILED");
        return failed == 0 ? 0 : 1;
    }

    /** Writes, reopens and verifies one store; returns "OK ..." or "FAIL ...". */
    String check(Case c, Path dir) {
        int h = 64;
        int w = 96;
        StoreSpec spec = new StoreSpec(c.format(), c.channels() == 3 ? new int[] {h, w, 3} : new int[] {h, w},
                c.type(), 7, java.util.Map.of("self_test", true), null, null);
        long t0 = System.nanoTime();
        try (ImgStoreWriter writer = ImgStoreWriter.create(dir, spec)) {
            for (int i = 0; i < frames; i++) {
                Image img = FrameBarcode.draw(1000 + i * 3L, h, w, c.channels(), c.type());
                writer.addImage(img, 1000 + i * 3L, 1.7e9 + i / 25.0);
                writer.addExtraData(java.util.Map.of("i", i));
            }
        }
        try (ImgStore store = ImgStore.open(dir)) {
            if (store.frameCount() != frames) {
                return "FAIL wrote " + frames + " frames, read " + store.frameCount();
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(1));
            for (int i : order) {
                Frame f = store.getFrame(1000 + i * 3L);
                int got = FrameBarcode.decode(f.image());
                if (got != FrameBarcode.expected(1000 + i * 3L) || f.frameIndex() != i) {
                    return "FAIL frame " + (1000 + i * 3L) + " read as " + got + " at index " + f.frameIndex();
                }
                if (f.image().channels() != c.channels() || f.image().pixelType() != c.type()) {
                    return "FAIL frame read as " + f.image();
                }
            }
            if (store.extraData().size() != frames) {
                return "FAIL extra data: " + store.extraData().size() + " records";
            }
        }
        return String.format("OK (%d frames, %.0f ms)", frames, (System.nanoTime() - t0) / 1e6);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
