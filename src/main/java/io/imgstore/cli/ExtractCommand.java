package io.imgstore.cli;

import io.imgstore.format.Frame;
import io.imgstore.format.ImgStore;
import io.imgstore.format.codec.ImageCodec;
import io.imgstore.format.npy.NpyImages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imgstore extract STORE --number N | --index I -o FILE}: one frame to PNG or npy. */
@Command(name = "extract", description = "Write one frame, by frame number or index, to a .png or .npy file.")
final class ExtractCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE", description = "store folder or its metadata.yaml")
    Path store;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = {"-n", "--number"}, description = "frame number")
        Long number;

        @Option(names = {"-i", "--index"}, description = "frame index (0 .. frame_count-1)")
        Long index;
    }

    @Option(names = "--nearest", description = "with --number: the nearest frame if there is no exact match")
    boolean nearest;

    @Option(names = {"-o", "--output"}, required = true, description = "output file: .png (RGB) or .npy (imgstore's BGR array)")
    Path output;

    @Override
    public Integer call() throws IOException {
        String name = output.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!name.endsWith(".png") && !name.endsWith(".npy")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "output must end with .png or .npy");
        }
        try (ImgStore s = ImgStore.open(store)) {
            Frame f = which.number != null
                    ? (nearest ? s.getNearestFrame(which.number) : s.getFrame(which.number))
                    : s.getFrameByIndex(which.index);
            if (name.endsWith(".npy")) {
                try (OutputStream out = Files.newOutputStream(output)) {
                    NpyImages.write(out, f.image());
                }
            } else {
                // PNG files hold RGB in viewers' eyes; OpenCV's writer takes BGR and stores RGB
                ImageCodec.write(output, f.image());
            }
            spec.commandLine().getOut().printf("frame_number=%d frame_index=%d frame_time=%s -> %s%n",
                    f.frameNumber(), f.frameIndex(), f.frameTime(), output);
        }
        return 0;
    }
}
