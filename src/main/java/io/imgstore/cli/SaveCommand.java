package io.imgstore.cli;

import io.imgstore.format.Image;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.format.codec.VideoChunkReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imgstore save VIDEO STORE}: converts any video file FFmpeg reads into a new store
 * (imgstore-save's job). Frame numbers are 0..n-1; frame times are the file's presentation
 * times added to {@code --start-time} (default: the file's modification time).
 */
@Command(name = "save", description = "Convert a video file (anything FFmpeg reads) into a store in a chosen format.")
final class SaveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VIDEO", description = "input video file")
    Path video;

    @Parameters(index = "1", paramLabel = "STORE", description = "folder of the new store (must not exist)")
    Path store;

    @Option(names = {"-f", "--format"}, defaultValue = "avc1/mp4",
            description = "store format: avc1/mp4, h264/mkv, mjpeg/avi, png, jpg, tif, bmp, ppm, pgm, npy (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--chunksize", description = "frames per chunk (default: imgstore's, 10000 video / 200 images)")
    Integer chunksize;

    @Option(names = "--gray", description = "store gray frames (default: colour)")
    boolean gray;

    @Option(names = "--start-time", description = "frame_time of the first frame, seconds since the epoch (default: file time)")
    Double startTime;

    @Option(names = "--quiet", description = "no progress output")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(video)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no such file: " + video);
        }
        StoreFormat fmt = StoreFormat.of(format);
        PrintWriter out = spec.commandLine().getOut();
        double t0 = startTime != null ? startTime
                : Files.getLastModifiedTime(video).toInstant().toEpochMilli() / 1000.0;
        try (VideoChunkReader in = VideoChunkReader.open(video, !gray, 0)) {
            int n = in.frameCount();
            Image first = in.read(0);
            int[] shape = gray ? new int[] {first.height(), first.width()} : new int[] {first.height(), first.width(), 3};
            StoreSpec s = new StoreSpec(fmt, shape, PixelType.UINT8,
                    chunksize != null ? chunksize : StoreSpec.defaultChunksize(fmt),
                    Map.of("source_file", video.getFileName().toString(), "converted_utc", Instant.now().toString()),
                    null, null);
            double[] times = in.presentationTimes();
            try (ImgStoreWriter w = ImgStoreWriter.create(store, s)) {
                long started = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Image img = i == 0 ? first : in.read(i);
                    w.addImage(img, i, t0 + times[i] - times[0]);
                    if (!quiet && (i % 100 == 99 || i == n - 1)) {
                        double secs = (System.nanoTime() - started) / 1e9;
                        out.printf("\r%d/%d frames (%.0f%%, %.1f frames/s)", i + 1, n, 100.0 * (i + 1) / n, (i + 1) / secs);
                        out.flush();
                    }
                }
            }
            if (!quiet) {
                out.println();
            }
            out.printf("saved %d frames to %s (%s)%n", n, store, fmt);
        }
        return 0;
    }
}
