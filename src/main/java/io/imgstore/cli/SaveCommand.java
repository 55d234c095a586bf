package io.imgstore.cli;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreException;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.LiveSource;
import io.imgstore.format.codec.VideoChunkReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imgstore save [--source SRC] -o STORE}: imgstore-save. Records a live source (the first
 * camera by default, or any FFmpeg input: {@code rtsp://}, {@code http://} camera streams, a device)
 * into a new store until Ctrl+C, {@code --frames N} or {@code --duration 10s}, the store closed
 * cleanly either way. Frame numbers are 0, 1, 2, ...; frame times are the source's clock: the wall
 * clock at the first frame plus each frame's presentation-time offset (the wall clock at arrival
 * for frames without a usable timestamp). A regular file as source is converted frame-exactly,
 * its presentation times added to {@code --start-time} (default: the file's modification time).
 */
@Command(name = "save", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = {"Record a camera or stream (any FFmpeg input) into a new store, or convert a video file.",
                "Without --source: the first camera (/dev/video0 on Linux). Stops at Ctrl+C, --frames or --duration."})
final class SaveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE", description = "same as --source")
    String positionalSource;

    @Parameters(index = "1", arity = "0..1", paramLabel = "STORE", description = "same as --output")
    Path positionalStore;

    @Option(names = {"-s", "--source"}, paramLabel = "SRC",
            description = "camera device, stream URL (rtsp://, http://) or video file (default: the first camera)")
    String source;

    @Option(names = "--input-format", paramLabel = "FMT",
            description = "FFmpeg input format, e.g. video4linux2, mjpeg (default: probed; video4linux2 for /dev/video*)")
    String inputFormat;

    @Option(names = {"-I", "--input-option"}, paramLabel = "KEY=VALUE",
            description = "FFmpeg input option, repeatable: -I video_size=1280x720 -I framerate=30 -I rtsp_transport=tcp")
    Map<String, String> inputOptions = new LinkedHashMap<>();

    @Option(names = {"-o", "--output"}, paramLabel = "STORE", description = "folder of the new store (must not exist)")
    Path output;

    @Option(names = {"-f", "--format"}, defaultValue = "avc1/mp4",
            description = "store format: avc1/mp4, h264/mkv, mjpeg/avi, png, jpg, tif, bmp, ppm, pgm, npy (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--chunksize", description = "frames per chunk (default: imgstore's, 10000 video / 200 images)")
    Integer chunksize;

    @Option(names = "--gray", description = "store gray frames (default: colour)")
    boolean gray;

    @Option(names = "--frames", paramLabel = "N", description = "stop after N frames")
    Long frames;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "stop after this long: 10s, 500ms, 2m, 1h")
    Duration duration;

    @Option(names = "--start-time", description = "files only: frame_time of the first frame, seconds since the epoch (default: file time)")
    Double startTime;

    @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (source != null && positionalSource != null) {
            throw usage("give the source once: --source or the first argument");
        }
        if (output != null && positionalStore != null) {
            throw usage("give the store once: -o or the second argument");
        }
        String src = source != null ? source : positionalSource;
        Path store = output != null ? output : positionalStore;
        if (store == null) {
            throw usage("missing -o STORE (the folder of the new store)");
        }
        if (frames != null && frames < 1) {
            throw usage("--frames must be at least 1");
        }
        StoreFormat fmt = StoreFormat.of(format);
        if (src != null && Files.isRegularFile(Path.of(src))) {
            return convertFile(Path.of(src), store, fmt);
        }
        if (startTime != null) {
            throw usage("--start-time applies to files; a live source's frame times come from its clock");
        }
        return record(src, store, fmt);
    }

    private StoreSpec storeSpec(StoreFormat fmt, Image first, Map<String, Object> user) {
        int[] shape = gray ? new int[] {first.height(), first.width()} : new int[] {first.height(), first.width(), 3};
        return new StoreSpec(fmt, shape, PixelType.UINT8, chunksize != null ? chunksize : StoreSpec.defaultChunksize(fmt),
                user, null, null);
    }

    private boolean limitReached(long n, long startedNanos) {
        return (frames != null && n >= frames)
                || (duration != null && System.nanoTime() - startedNanos >= duration.toNanos());
    }

    /** Records a live source until stopped; frame times from the source's clock. */
    private int record(String src, Path store, StoreFormat fmt) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long n = 0;
        double firstTime = Double.NaN;
        double lastTime = Double.NaN;
        // closed last (declared first): the shutdown hook waits until the store is closed
        try (StopSignal stop = new StopSignal(); LiveSource in = LiveSource.open(src, inputFormat, !gray, inputOptions)) {
            Image img = in.grab();
            if (img == null) {
                throw new ImgStoreException("no frames from " + in.description());
            }
            long started = System.nanoTime();
            double wall0 = nowSeconds();
            long pts0 = in.timestampMicros();
            long lastPts = Long.MIN_VALUE;
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("source", withoutCredentials(in.description()));
            user.put("recorded_by", ImgstoreCommand.VERSION + " save");
            Progress progress = Progress.of(err, quiet, "save", frames != null ? frames : -1);
            try (ImgStoreWriter w = ImgStoreWriter.create(store, storeSpec(fmt, img, user))) {
                while (img != null) {
                    long pts = in.timestampMicros();
                    // the source's clock while its timestamps advance; the wall clock for frames without one
                    double t = pts0 >= 0 && pts > lastPts && pts >= pts0 ? wall0 + (pts - pts0) / 1e6 : nowSeconds();
                    lastPts = Math.max(lastPts, pts);
                    w.addImage(img, n, t);
                    n++;
                    firstTime = Double.isNaN(firstTime) ? t : firstTime;
                    lastTime = t;
                    progress.update(n);
                    if (stop.stopRequested() || limitReached(n, started)) {
                        break;
                    }
                    img = in.grab();
                }
            }
            progress.finish(n);
            // before the stop signal is released: after Ctrl+C the JVM ends as soon as it is
            out.printf("saved %d frames to %s (%s), frame_time %s..%s%n", n, store, fmt, Times.plain(firstTime),
                    Times.plain(lastTime));
            out.flush();
        }
        return 0;
    }

    /** Converts a video file frame-exactly; frame times from its presentation times. */
    private int convertFile(Path video, Path store, StoreFormat fmt) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        double t0 = startTime != null ? startTime
                : Files.getLastModifiedTime(video).toInstant().toEpochMilli() / 1000.0;
        long n = 0;
        try (StopSignal stop = new StopSignal(); VideoChunkReader in = VideoChunkReader.open(video, !gray, 0)) {
            int total = frames != null ? (int) Math.min(frames, in.frameCount()) : in.frameCount();
            if (total == 0) {
                throw new ImgStoreException("no frames in " + video);
            }
            Image first = in.read(0);
            Map<String, Object> user = Map.of("source_file", video.getFileName().toString(),
                    "converted_utc", Instant.now().toString());
            double[] times = in.presentationTimes();
            Progress progress = Progress.of(spec.commandLine().getErr(), quiet, "save", total);
            try (ImgStoreWriter w = ImgStoreWriter.create(store, storeSpec(fmt, first, user))) {
                for (int i = 0; i < total; i++) {
                    w.addImage(i == 0 ? first : in.read(i), i, t0 + times[i] - times[0]);
                    n++;
                    progress.update(n);
                    if (stop.stopRequested() || (duration != null && times[i] - times[0] >= duration.toNanos() / 1e9)) {
                        break;
                    }
                }
            }
            progress.finish(n);
            out.printf("saved %d frames to %s (%s)%n", n, store, fmt);
            out.flush();
        }
        return 0;
    }

    private static double nowSeconds() {
        Instant now = Instant.now();
        return now.getEpochSecond() + now.getNano() / 1e9;
    }

    /** {@code rtsp://user:secret@cam/} without the user and password, for metadata and messages. */
    static String withoutCredentials(String s) {
        return s.replaceAll("://[^/@\\s]*@", "://");
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
