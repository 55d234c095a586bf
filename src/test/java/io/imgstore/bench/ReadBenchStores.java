package io.imgstore.bench;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the stores the read load benchmark ({@code bench/read-load.sh}) serves: 512x512 frames
 * with imgstore's default settings ({@link StoreSpec#of}: default chunksize, default encoder).
 * Content: a photograph panning across the frame (the fixtures' {@code real/graffiti.png} when
 * present, else a synthetic texture) with mild sensor-like noise, and the frame-number barcode
 * in the top 64 rows, so that PNG and video codecs do realistic work.
 *
 * <p>Usage: {@code ReadBenchStores ROOT FRAMES FORMAT[:gray|color][xCOPIES] ...}, e.g.
 * {@code ReadBenchStores /tmp/bench 2000 avc1/mp4:gray png:gray npy:color x20}. Existing stores
 * are kept. Not a test (no surefire naming); run by the script.
 */
public final class ReadBenchStores {

    static final int SIZE = 512;

    private ReadBenchStores() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int frames = Integer.parseInt(args[1]);
        Image photo = photo();
        for (int a = 2; a < args.length; a++) {
            String arg = args[a];
            int copies = 1;
            int x = arg.lastIndexOf('x');
            if (x > 0 && arg.substring(x + 1).matches("\\d+")) {
                copies = Integer.parseInt(arg.substring(x + 1));
                arg = arg.substring(0, x);
            }
            String[] parts = arg.split(":");
            StoreFormat format = StoreFormat.of(parts[0]);
            boolean color = parts.length > 1 && parts[1].equals("color");
            for (int c = 0; c < copies; c++) {
                String name = format.name().replace('/', '-') + "_" + (color ? "color" : "gray")
                        + (copies > 1 ? "_" + c : "");
                Path dir = root.resolve(name);
                if (Files.exists(dir.resolve("metadata.yaml"))) {
                    System.out.println("kept " + dir);
                    continue;
                }
                long t0 = System.nanoTime();
                write(dir, format, color, frames, photo);
                System.out.printf("wrote %s (%d frames) in %.1f s%n", dir, frames, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    static void write(Path dir, StoreFormat format, boolean color, int frames, Image photo) {
        StoreSpec spec = color ? StoreSpec.of(format, SIZE, SIZE, 3) : StoreSpec.of(format, SIZE, SIZE);
        SplittableRandom rnd = new SplittableRandom(42);
        try (ImgStoreWriter w = ImgStoreWriter.create(dir, spec)) {
            for (int n = 0; n < frames; n++) {
                w.addImage(frame(photo, n, color, rnd), n, 1.7e9 + n / 25.0);
            }
        }
    }

    /** Photo panned by n pixels, noise +-4, barcode in the top 64 rows. */
    static Image frame(Image photo, int n, boolean color, SplittableRandom rnd) {
        int channels = color ? 3 : 1;
        Image barcode = Barcode.draw(n, 64, SIZE, channels, PixelType.UINT8);
        byte[] out = new byte[SIZE * SIZE * channels];
        int dx = n % Math.max(1, photo.width() - SIZE);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                for (int c = 0; c < channels; c++) {
                    int v;
                    if (y < 64) {
                        v = barcode.sample(y, x, c);
                    } else {
                        int py = y % photo.height();
                        int px = (x + dx) % photo.width();
                        v = color ? photo.sample(py, px, c)
                                : (photo.sample(py, px, 0) * 29 + photo.sample(py, px, 1) * 150 + photo.sample(py, px, 2) * 77) >> 8;
                        v = Math.max(0, Math.min(255, v + rnd.nextInt(9) - 4));
                    }
                    out[(y * SIZE + x) * channels + c] = (byte) v;
                }
            }
        }
        return new Image(SIZE, SIZE, channels, PixelType.UINT8, out);
    }

    /** The fixtures' photograph (BGR), or a synthetic texture when the fixtures are absent. */
    static Image photo() {
        Path p = Fixtures.root().resolve("real/graffiti.png");
        if (Files.isRegularFile(p)) {
            return ImageCodec.read(p, true);
        }
        Image img = Image.blank(SIZE, SIZE + 128, 3, PixelType.UINT8);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 128 + 60 * Math.sin(x / (7.0 + c)) * Math.cos(y / (11.0 - c)) + 40 * Math.sin((x + y) / 37.0);
                    img.setSample(y, x, c, (int) Math.max(0, Math.min(255, v)));
                }
            }
        }
        return img;
    }
}
