package io.imgstore.service.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.ImgStore;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.codec.VideoChunkReader;
import io.imgstore.service.catalog.StoreCatalog;
import io.imgstore.service.catalog.StoreProperties;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.service.catalog.StoreRoot;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.CountingStoreFiles;
import io.imgstore.testing.InMemoryStoreFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Clips of a store on a root whose files are not local (in memory here, as object storage in
 * production: no {@code localFile}, every read through the {@code StoreFiles} seam): a
 * keyframe-aligned range is stream-copied ({@code X-Clip-Mode: copy}) through the channels and
 * decodes frame-exactly; a range not on a keyframe is still re-encoded.
 */
class ClipNonLocalRootTest {

    static final String NAME = "vid";

    @TempDir
    Path tmp;

    Path disk;
    CountingStoreFiles files;
    StoreRegistry registry;
    ClipService clips;
    String id;

    @BeforeEach
    void setUp() {
        // the store of BulkIntegrationTests' clip test: chunks of 16, keyframes 100, 112, 118, 129, 135, 145
        disk = BulkStores.write(tmp.resolve(NAME), StoreFormat.AVC1_MP4, 64, 128, 3, 16, 100, 149,
                BulkIntegrationTests::videoGap);
        InMemoryStoreFiles memory = new InMemoryStoreFiles();
        Path root = InMemoryStoreFiles.ROOT.resolve("root");
        memory.load(disk, "root/" + NAME);
        assertThat(Files.exists(root)).isFalse();
        files = new CountingStoreFiles(memory);
        StoreProperties props = new StoreProperties(root, false, 4, Duration.ofMinutes(1), 1, Duration.ZERO);
        StoreCatalog catalog = new StoreCatalog(props, new StoreRoot(files, root));
        registry = new StoreRegistry(catalog, props, new SimpleMeterRegistry());
        BulkProperties bulk = BulkProperties.defaults();
        clips = new ClipService(registry, new BulkStreams(bulk, new SimpleMeterRegistry()), bulk);
        id = catalog.idOf(root.resolve(NAME));
        try (StoreRegistry.Lease lease = registry.lease(id)) { // opened once: what the store itself keeps open
            assertThat(lease.store().files()).isSameAs(files);
        }
    }

    @AfterEach
    void tearDown() {
        registry.closeAll();
    }

    private List<Long> numbersIn(long from, long to) {
        List<Long> out = new ArrayList<>();
        try (ImgStore s = ImgStore.open(disk)) {
            for (long n : s.frameMetadata().frameNumbers()) {
                if (n >= from && n <= to) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    private void clipDecodesFrameExactly(long from, long to, String mode) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        files.reset();
        long open = files.channelsOpen(); // the store's own (index, pooled decoders)
        clips.stream(id, from, to, null, null, false, response);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeader(ClipService.CLIP_MODE)).as("%d..%d", from, to).isEqualTo(mode);
        byte[] body = response.getContentAsByteArray();
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains("moof").contains("mvex");
        if (mode.equals("copy")) {
            assertThat(files.channelsOpen()).as("channels the copy left open").isEqualTo(open);
            assertThat(files.channelsOpened()).as("chunks read through the seam").isPositive();
            assertThat(files.bytesRead()).isPositive();
        }
        List<Long> expected = numbersIn(from, to);
        Path f = Files.createTempFile(tmp, "clip", ".mp4");
        Files.write(f, body);
        try (VideoChunkReader reader = VideoChunkReader.open(f, true)) {
            assertThat(reader.frameCount()).isEqualTo(expected.size());
            for (int k = 0; k < expected.size(); k++) {
                assertThat(Barcode.decode(reader.read(k))).as("%d..%d: clip frame %d", from, to, k)
                        .isEqualTo(Barcode.expected(expected.get(k)));
            }
        }
    }

    @Test
    void keyframeAlignedClipsOfAStoreOnANonLocalRootAreCopied() throws Exception {
        clipDecodesFrameExactly(100, 112, "copy"); // one chunk
        clipDecodesFrameExactly(112, 149, "copy"); // three chunks
        clipDecodesFrameExactly(129, 140, "copy"); // from a mid-chunk keyframe
        clipDecodesFrameExactly(101, 112, "encode"); // not on a keyframe
    }

    @Test
    void headAnswersCopyWithoutCopying() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        long open = files.channelsOpen();
        clips.stream(id, 100L, 112L, null, null, true, response);
        assertThat(response.getHeader(ClipService.CLIP_MODE)).isEqualTo("copy");
        assertThat(response.getContentAsByteArray()).isEmpty();
        assertThat(files.channelsOpen()).isEqualTo(open);
    }
}
