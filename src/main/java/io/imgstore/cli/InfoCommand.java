package io.imgstore.cli;

import io.imgstore.format.ImgStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imgstore info STORE}: what a store holds. */
@Command(name = "info", description = "Print a store's metadata, frame range and chunks.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE", description = "store folder or its metadata.yaml")
    Path store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ImgStore s = ImgStore.open(store)) {
            out.printf("path:           %s%n", s.path());
            out.printf("class:          %s%n", s.storeClass());
            out.printf("format:         %s%n", s.format());
            out.printf("encoding:       %s%n", s.encoding() == null ? "-" : s.encoding());
            out.printf("imgdtype:       %s%n", s.pixelType().dtype());
            out.printf("image_shape:    %s%n", Arrays.toString(s.imageShape()));
            out.printf("chunksize:      %d%n", s.chunksize());
            out.printf("chunks:         %d %s%n", s.chunks().length, abbreviate(s.chunks()));
            out.printf("frame_count:    %d%n", s.frameCount());
            out.printf("frame_min:      %s%n", s.frameMin().isPresent() ? s.frameMin().getAsLong() : "-");
            out.printf("frame_max:      %s%n", s.frameMax().isPresent() ? s.frameMax().getAsLong() : "-");
            out.printf("frame_time_min: %s%n", s.frameTimeMin());
            out.printf("frame_time_max: %s%n", s.frameTimeMax());
            out.printf("duration_s:     %.3f%n", s.frameTimeMax() - s.frameTimeMin());
            out.printf("uuid:           %s%n", s.uuid());
            out.printf("created:        %s%n", s.created());
            out.printf("lossless:       %s%n", s.lossless());
            out.printf("extra_data:     %s%n", s.hasExtraData());
            out.printf("user_metadata:  %s%n", s.userMetadata());
        }
        out.flush();
        return 0;
    }

    private static String abbreviate(int[] chunks) {
        if (chunks.length <= 8) {
            return Arrays.toString(chunks);
        }
        return "[" + chunks[0] + ", " + chunks[1] + ", ... " + chunks[chunks.length - 1] + "]";
    }
}
