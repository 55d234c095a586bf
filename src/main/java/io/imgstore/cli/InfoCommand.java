package io.imgstore.cli;

import io.imgstore.format.ImgStore;
import io.imgstore.format.StoreLocations;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code imgstore info STORE [--json]}: what a store holds. Text for people (frame times as dates
 * in the store's time zone and as plain seconds, user metadata as YAML) or one JSON object with the
 * field names of the service's {@code GET /stores/{id}}.
 */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = "Print a store's metadata, frame range and chunks.")
final class InfoCommand implements Callable<Integer> {

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE",
            description = "store folder or its metadata.yaml, or s3://bucket/prefix/store (object storage)")
    String store;

    @Option(names = "--json", description = "one JSON object (the fields of the service's GET /stores/{id})")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ImgStore s = StoreLocations.open(store)) {
            if (json) {
                out.println(JSON.writeValueAsString(summary(s)));
            } else {
                printText(s, out);
            }
        }
        out.flush();
        return 0;
    }

    /** The service's store summary, without {@code id} and {@code writing}; frame times as plain decimals. */
    static Map<String, Object> summary(ImgStore s) {
        boolean empty = s.frameCount() == 0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", s.path().toString());
        m.put("class", s.storeClass());
        m.put("format", s.format().name());
        m.put("encoding", s.encoding());
        m.put("imgdtype", s.pixelType().dtype());
        m.put("image_shape", s.imageShape());
        m.put("imgshape", s.imgshape());
        m.put("chunksize", s.chunksize());
        m.put("frame_count", s.frameCount());
        m.put("frame_min", empty ? null : s.frameMin().getAsLong());
        m.put("frame_max", empty ? null : s.frameMax().getAsLong());
        m.put("frame_time_min", empty ? null : decimal(s.frameTimeMin()));
        m.put("frame_time_max", empty ? null : decimal(s.frameTimeMax()));
        m.put("chunks", s.chunks());
        m.put("uuid", s.uuid());
        m.put("created_utc", s.createdUtc().toString());
        m.put("timezone_local", s.timezoneLocal().getId());
        m.put("user_metadata", s.userMetadata());
        m.put("has_extra_data", s.hasExtraData());
        m.put("lossless", s.lossless());
        return m;
    }

    private static BigDecimal decimal(double d) {
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }

    /** The zone frame times are shown in: {@code timezone_local} of the metadata, UTC without it. */
    static ZoneId displayZone(ImgStore s) {
        String tz = s.metadata().timezoneLocal();
        if (tz != null && !tz.isBlank()) {
            try {
                return ZoneId.of(tz.trim());
            } catch (DateTimeException e) {
                // an unknown zone name: fall through to UTC
            }
        }
        return ZoneOffset.UTC;
    }

    private static void printText(ImgStore s, PrintWriter out) {
        boolean empty = s.frameCount() == 0;
        ZoneId zone = displayZone(s);
        out.printf("path:           %s%n", s.path());
        out.printf("class:          %s%n", s.storeClass());
        out.printf("format:         %s%n", s.format());
        out.printf("encoding:       %s%n", s.encoding() == null ? "-" : s.encoding());
        out.printf("imgdtype:       %s%n", s.pixelType().dtype());
        out.printf("image_shape:    %s%n", Arrays.toString(s.imageShape()));
        out.printf("chunksize:      %d%n", s.chunksize());
        out.printf("chunks:         %d %s%n", s.chunks().length, abbreviate(s.chunks()));
        out.printf("frame_count:    %d%n", s.frameCount());
        out.printf("frame_min:      %s%n", empty ? "-" : s.frameMin().getAsLong());
        out.printf("frame_max:      %s%n", empty ? "-" : s.frameMax().getAsLong());
        out.printf("frame_time_min: %s%n", empty ? "-" : Times.both(s.frameTimeMin(), zone));
        out.printf("frame_time_max: %s%n", empty ? "-" : Times.both(s.frameTimeMax(), zone));
        out.printf("duration_s:     %s%n", empty ? "-" : Times.plain(s.frameTimeMax() - s.frameTimeMin()));
        out.printf("timezone:       %s%n", zone.getId());
        out.printf("uuid:           %s%n", s.uuid() == null ? "-" : s.uuid());
        out.printf("created:        %s%n", s.created());
        out.printf("lossless:       %s%n", s.lossless());
        out.printf("extra_data:     %s%n", s.hasExtraData());
        Map<String, Object> user = s.userMetadata();
        if (user == null || user.isEmpty()) {
            out.println("user_metadata:  {}");
        } else {
            out.println("user_metadata:");
            for (String line : yaml(user).split("\n")) {
                out.println("  " + line);
            }
        }
    }

    /** User metadata as block-style YAML, the way imgstore's metadata.yaml holds it. */
    static String yaml(Map<String, Object> m) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setWidth(120);
        return new Yaml(o).dump(m).stripTrailing();
    }

    private static String abbreviate(int[] chunks) {
        if (chunks.length <= 8) {
            return Arrays.toString(chunks);
        }
        return "[" + chunks[0] + ", " + chunks[1] + ", ... " + chunks[chunks.length - 1] + "]";
    }
}
