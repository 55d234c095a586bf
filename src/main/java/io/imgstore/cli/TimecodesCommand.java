package io.imgstore.cli;

import io.imgstore.format.FrameMetadata;
import io.imgstore.format.ImgStore;
import io.imgstore.format.StoreLocations;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imgstore timecodes STORE [-o FILE]}: Matroska timecode format v2 (one presentation time in
 * milliseconds per frame, relative to the first frame), for {@code mkvmerge --timecodes 0:FILE}.
 */
@Command(name = "timecodes", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = "Print mkv timecode format v2 (ms since the first frame) from the frame times.")
final class TimecodesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE",
            description = "store folder or its metadata.yaml, or s3://bucket/prefix/store (object storage)")
    String store;

    @Option(names = {"-o", "--output"}, description = "write to this file instead of standard output")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "no progress on standard error")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        FrameMetadata md;
        try (ImgStore s = StoreLocations.open(store)) {
            md = s.frameMetadata();
        }
        if (output != null) {
            try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                write(md, new PrintWriter(w), Progress.of(spec.commandLine().getErr(), quiet, "timecodes", md.size()));
            }
        } else {
            write(md, spec.commandLine().getOut(), Progress.of(spec.commandLine().getErr(), quiet, "timecodes", md.size()));
        }
        return 0;
    }

    static void write(FrameMetadata md, PrintWriter out, Progress progress) {
        out.println("# timecode format v2");
        double[] t = md.frameTimes();
        for (int i = 0; i < t.length; i++) {
            // fixed-point milliseconds, never an exponent
            out.println(String.format(Locale.ROOT, "%.3f", (t[i] - t[0]) * 1000.0));
            progress.update(i + 1);
        }
        out.flush();
        progress.finish(t.length);
    }
}
