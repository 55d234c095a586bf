package io.imgstore.cli;

import io.imgstore.format.Frame;
import io.imgstore.format.FrameMetadata;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreLocations;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.npy.NpyImages;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IllegalFormatException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imgstore extract STORE [-n A..B | -i A..B] [--every K] -o OUT}: frames to image files.
 * One frame to a file; a range to a folder ({@code -o frames/}) or a name pattern
 * ({@code -o frames/%06d.png}, the frame number substituted). Frames are read in store order with
 * the library's sequential read; frame numbers of the range that the store does not hold are
 * reported on standard error, never invented.
 */
@Command(name = "extract", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = {"Write frames to .png, .jpg or .npy files: one frame by number or index, or a range.",
                "Without -n/-i: every frame. Ranges are inclusive: 17, 100..200, 100.. (to the end), ..99."})
final class ExtractCommand implements Callable<Integer> {

    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "npy", "tif", "tiff", "bmp", "ppm", "pgm");

    /** At most this many missing frame numbers are listed (the count is always given). */
    static final int MAX_LISTED_GAPS = 5;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE",
            description = "store folder or its metadata.yaml, or s3://bucket/prefix/store (object storage)")
    String store;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Which which;

    static final class Which {
        @Option(names = {"-n", "--number"}, paramLabel = "N|A..B", converter = FrameRange.Converter.class,
                description = "frame number, or an inclusive range of frame numbers")
        FrameRange number;

        @Option(names = {"-i", "--index"}, paramLabel = "I|A..B", converter = FrameRange.Converter.class,
                description = "frame index (0 .. frame_count-1), or an inclusive range of indexes")
        FrameRange index;
    }

    @Option(names = "--every", paramLabel = "K", defaultValue = "1",
            description = "every K-th of the selected frames, starting with the first (default ${DEFAULT-VALUE})")
    int every;

    @Option(names = "--nearest", description = "with a single --number: the nearest frame if there is no exact match")
    boolean nearest;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = {"a file (one frame; .png/.jpg/.npy/.tif/.bmp/.ppm/.pgm by extension),",
                    "a folder ending in / (DIR/NNNNNN.TYPE), or a pattern such as frames/%%06d.png"})
    String output;

    @Option(names = "--type", defaultValue = "png", paramLabel = "EXT",
            description = "file type for a folder output: png, jpg, npy, ... (default ${DEFAULT-VALUE})")
    String type;

    @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
    boolean quiet;

    /** Where frames go. */
    private interface Target {
        Path fileFor(long frameNumber);
    }

    @Override
    public Integer call() throws IOException {
        if (every < 1) {
            throw usage("--every must be at least 1");
        }
        FrameRange numbers = which == null ? null : which.number;
        FrameRange indexes = which == null ? null : which.index;
        if (nearest && (numbers == null || !numbers.single())) {
            throw usage("--nearest needs a single frame number (-n N)");
        }
        Target target = target();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ImgStore s = StoreLocations.open(store)) {
            boolean singleRequest = which != null && (numbers != null ? numbers.single() : indexes.single());
            if (singleRequest) {
                Frame f = numbers != null
                        ? (nearest ? s.getNearestFrame(numbers.first()) : s.getFrame(numbers.first()))
                        : s.getFrameByIndex(indexes.first());
                Path file = target.fileFor(f.frameNumber());
                write(file, f.image());
                out.printf("frame_number=%d frame_index=%d frame_time=%s -> %s%n",
                        f.frameNumber(), f.frameIndex(), Times.plain(f.frameTime()), file);
                out.flush();
                return 0;
            }
            int[] all = select(s, numbers, indexes, err);
            int[] selected = every == 1 ? all
                    : IntStream.range(0, all.length).filter(k -> k % every == 0).map(k -> all[k]).toArray();
            if (selected.length == 0) {
                throw new FrameNotFoundException("no frames in " + (numbers != null ? "frame numbers " + numbers
                        : "indexes " + (indexes == null ? "(all)" : indexes.toString())));
            }
            if (target instanceof SingleFile && selected.length > 1) {
                throw usage(selected.length + " frames selected: -o needs a folder (DIR/) or a pattern (frames/%06d.png)");
            }
            extract(s, selected, target, out, err);
        }
        return 0;
    }

    private void extract(ImgStore s, int[] selected, Target target, PrintWriter out, PrintWriter err) throws IOException {
        Progress progress = Progress.of(err, quiet, "extract", selected.length);
        Frame first = null;
        Frame last = null;
        for (int k = 0; k < selected.length; k++) {
            int i = selected[k];
            // the sequential read where the next frame is the next one; otherwise a forward read
            // (video decoders continue inside the group of pictures instead of seeking)
            Frame f = last != null && last.frameIndex() + 1 == i ? s.nextFrame() : s.getFrameByIndex(i);
            if (f.frameIndex() != i) {
                throw new IllegalStateException("read frame index " + f.frameIndex() + " instead of " + i);
            }
            Path file = target.fileFor(f.frameNumber());
            write(file, f.image());
            first = first == null ? f : first;
            last = f;
            progress.update(k + 1);
        }
        progress.finish(selected.length);
        out.printf("extracted %d frames (frame_number %d..%d, frame_time %s..%s) to %s%n", selected.length,
                first.frameNumber(), last.frameNumber(), Times.plain(first.frameTime()), Times.plain(last.frameTime()),
                output);
        out.flush();
    }

    /** Store indexes of the requested frames, in store order; reports what the store lacks. */
    static int[] select(ImgStore s, FrameRange numbers, FrameRange indexes, PrintWriter err) {
        int count = s.frameCount();
        if (numbers == null) {
            long a = indexes == null ? 0 : indexes.firstOr(0);
            long b = indexes == null ? count - 1L : indexes.lastOr(count - 1L);
            long from = Math.max(0, a);
            long to = Math.min(count - 1L, b);
            if (a < from || b > to) {
                err.printf("imgstore extract: frame indexes outside 0..%d not in store (asked %d..%d)%n", count - 1, a, b);
                err.flush();
            }
            return from > to ? new int[0] : IntStream.rangeClosed((int) from, (int) to).toArray();
        }
        if (count == 0) {
            return new int[0];
        }
        long a = numbers.firstOr(s.frameMin().getAsLong());
        long b = numbers.lastOr(s.frameMax().getAsLong());
        FrameMetadata md = s.frameMetadata();
        long[] fn = md.frameNumbers();
        int[] selected = IntStream.range(0, fn.length).filter(i -> fn[i] >= a && fn[i] <= b).toArray();
        reportMissing(a, b, selected, fn, err);
        return selected;
    }

    /** Prints how many frame numbers of {@code a..b} the store lacks, and the first few gaps. */
    static void reportMissing(long a, long b, int[] selected, long[] fn, PrintWriter err) {
        long[] present = IntStream.of(selected).mapToLong(i -> fn[i]).sorted().distinct().toArray();
        long missing = (b - a + 1) - present.length;
        if (missing <= 0) {
            return;
        }
        StringBuilder gaps = new StringBuilder();
        int listed = 0;
        long expect = a;
        for (int k = 0; k <= present.length && listed < MAX_LISTED_GAPS; k++) {
            long next = k < present.length ? present[k] : b + 1;
            if (next > expect) {
                gaps.append(listed == 0 ? "" : ", ").append(next - 1 == expect ? Long.toString(expect) : expect + ".." + (next - 1));
                listed++;
            }
            expect = next + 1;
        }
        boolean more = listed == MAX_LISTED_GAPS;
        err.printf("imgstore extract: %d frame number(s) of %d..%d not in store: %s%s%n", missing, a, b, gaps,
                more ? ", ..." : "");
        err.flush();
    }

    private record SingleFile(Path file) implements Target {
        @Override
        public Path fileFor(long frameNumber) {
            return file;
        }
    }

    private Target target() {
        if (output.contains("%")) {
            String a;
            String b;
            try {
                a = String.format(Locale.ROOT, output, 1L);
                b = String.format(Locale.ROOT, output, 2L);
            } catch (IllegalFormatException e) {
                throw usage("bad output pattern '" + output + "': " + e.getMessage() + " (use e.g. frames/%06d.png)");
            }
            if (a.equals(b)) {
                throw usage("output pattern '" + output + "' does not contain the frame number (use e.g. %06d)");
            }
            checkExtension(a);
            return n -> Path.of(String.format(Locale.ROOT, output, n));
        }
        Path p = Path.of(output);
        if (output.endsWith("/") || output.endsWith(java.io.File.separator) || Files.isDirectory(p)) {
            String ext = type.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
            checkExtension("x." + ext);
            return n -> p.resolve(String.format(Locale.ROOT, "%06d.%s", n, ext));
        }
        checkExtension(output);
        return new SingleFile(p);
    }

    private void checkExtension(String name) {
        if (!EXTENSIONS.contains(extension(name))) {
            throw usage("output '" + name + "' must end with one of " + EXTENSIONS.stream().sorted().toList());
        }
    }

    private static String extension(String name) {
        String n = Path.of(name).getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }

    static void write(Path file, Image image) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String ext = extension(file.toString());
        if (ext.equals("npy")) {
            try (OutputStream out = Files.newOutputStream(file)) {
                NpyImages.write(out, image);
            }
        } else {
            // JPEG holds 8 bits; PNG/TIFF/PGM keep 16. OpenCV's writer takes BGR and stores RGB.
            boolean eightBitOnly = ext.equals("jpg") || ext.equals("jpeg") || ext.equals("bmp");
            ImageCodec.write(file, eightBitOnly && image.pixelType() != PixelType.UINT8 ? image.toEightBit() : image);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
