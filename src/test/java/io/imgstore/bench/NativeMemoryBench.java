package io.imgstore.bench;

import io.imgstore.format.Frame;
import io.imgstore.format.Image;
import io.imgstore.format.ImgStore;
import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.service.ingest.CreateStoreRequest;
import io.imgstore.service.ingest.IngestSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Native memory (RSS, not heap) held per open writer and per open reader, by format and frame
 * size: what sizes a container's memory limit beyond the heap (docs/deployment.md, "Memory").
 * Opens writers one after another (each writes a few frames, as a rig's first second does) and
 * reports the RSS growth per writer; then the same for readers decoding one frame each.
 *
 * <pre>
 * ./mvnw -q test-compile -Dspotless.check.skip=true
 * java -Xmx1g -cp target/classes:target/test-classes:$(cat target/cp.txt) io.imgstore.bench.NativeMemoryBench \
 *      avc1/mp4 1200 1920 4
 * </pre>
 * (target/cp.txt: {@code ./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt}).
 */
public final class NativeMemoryBench {

    public static void main(String[] args) throws Exception {
        String format = args.length > 0 ? args[0] : "avc1/mp4";
        int h = args.length > 1 ? Integer.parseInt(args[1]) : 1200;
        int w = args.length > 2 ? Integer.parseInt(args[2]) : 1920;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int frames = 30;
        Path dir = Files.createTempDirectory("native-bench");
        byte[] px = new byte[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i * 31 + i / w * 7) & 0xff);
        }
        // warm-up: natives loaded, one writer opened and closed, so the first measured writer pays no class loading
        try (ImgStoreWriter warm = ImgStoreWriter.create(dir.resolve("warm"), IngestSessions.specOf(
                new CreateStoreRequest("warm", format, List.of(h, w), null, 100, null, null)))) {
            warm.addImage(new Image(h, w, 1, PixelType.UINT8, px), 0, 0);
        }
        System.gc();
        long base = rssKb();
        System.out.printf("%s %dx%d: baseline RSS %d MB%n", format, w, h, base / 1024);
        List<ImgStoreWriter> writers = new ArrayList<>();
        long prev = base;
        for (int k = 0; k < n; k++) {
            ImgStoreWriter wr = ImgStoreWriter.create(dir.resolve("s" + k), IngestSessions.specOf(
                    new CreateStoreRequest("s" + k, format, List.of(h, w), null, 1000, null, null)));
            for (int f = 0; f < frames; f++) {
                px[f] ^= (byte) 0xff;
                wr.addImage(new Image(h, w, 1, PixelType.UINT8, px.clone()), f, f / 30.0);
            }
            writers.add(wr);
            System.gc();
            long rss = rssKb();
            System.out.printf("  writer %d open: RSS %d MB (+%d MB)%n", k + 1, rss / 1024, (rss - prev) / 1024);
            prev = rss;
        }
        long afterWriters = rssKb();
        System.out.printf("WRITER %s %dx%d: %.0f MB RSS per open writer (%d writers)%n", format, w, h,
                (afterWriters - base) / 1024.0 / n, n);
        for (ImgStoreWriter wr : writers) {
            wr.close();
        }
        System.gc();
        long closed = rssKb();
        System.out.printf("  all closed: RSS %d MB%n", closed / 1024);
        List<ImgStore> readers = new ArrayList<>();
        prev = closed;
        for (int k = 0; k < n; k++) {
            ImgStore s = ImgStore.open(dir.resolve("s" + k));
            Frame fr = s.getFrameByIndex(frames / 2);
            if (fr == null) {
                throw new IllegalStateException("no frame");
            }
            readers.add(s);
            System.gc();
            long rss = rssKb();
            System.out.printf("  reader %d open: RSS %d MB (+%d MB)%n", k + 1, rss / 1024, (rss - prev) / 1024);
            prev = rss;
        }
        System.out.printf("READER %s %dx%d: %.0f MB RSS per open reader (one decoder each)%n", format, w, h,
                (rssKb() - closed) / 1024.0 / n);
        for (ImgStore s : readers) {
            s.close();
        }
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
