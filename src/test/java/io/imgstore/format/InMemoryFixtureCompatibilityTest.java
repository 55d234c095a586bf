package io.imgstore.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.storage.StoreFiles;
import io.imgstore.testing.Barcode;
import io.imgstore.testing.Fixtures;
import io.imgstore.testing.InMemoryStoreFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The storage seam carries every read: each fixture store (every format: mp4, avi, mkv chunks,
 * directory stores of every image format and npy, Motif h5 and json extra data, ...) is loaded
 * into {@link InMemoryStoreFiles} under a path that does not exist on disk and read through it, and
 * every check of {@link FixtureCompatibilityTest} (metadata, frame metadata, every frame's barcode
 * in shuffled order, extra data, nearest lookups) passes. Anything that opened a file by path
 * itself would find nothing there; video chunks go through FFmpeg's custom I/O.
 */
class InMemoryFixtureCompatibilityTest extends FixtureCompatibilityTest {

    private static final InMemoryStoreFiles FILES = new InMemoryStoreFiles();
    private static final Map<Path, Path> LOADED = new ConcurrentHashMap<>();

    static Path inMemory(Fixtures.Store f) {
        return LOADED.computeIfAbsent(f.dir(), d -> FILES.load(d,
                Fixtures.root().relativize(d).toString().replace('/', '_')));
    }

    @Override
    ImgStore open(Fixtures.Store f) {
        Path dir = inMemory(f);
        assertThat(Files.exists(dir)).as("%s exists on disk", dir).isFalse();
        ImgStore s = ImgStore.open(dir, FILES, 2, null);
        assertThat(s.files()).isSameAs(FILES);
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void confinedToTheInMemoryRootWithFingerprintsAndSummaries(Fixtures.Store f) {
        Path dir = inMemory(f);
        try (ImgStore s = ImgStore.open(dir, FILES, 1, InMemoryStoreFiles.ROOT)) {
            assertThat(s.fingerprint(0)).hasSize(16);
            assertThat(s.filesChangedSinceOpen(0)).isFalse();
            long last = s.frameCount() - 1;
            assertThat(Barcode.decode(s.getFrameByIndex(last).image()))
                    .isEqualTo(Barcode.expected(s.frameInfo(last).frameNumber()));
            StoreIndexSummary summary = StoreIndexSummary.read(FILES, dir, InMemoryStoreFiles.ROOT);
            try (ImgStore local = ImgStore.open(f.dir())) {
                assertThat(summary).isEqualTo(StoreIndexSummary.read(f.dir(), null));
                assertThat(summary.frameCount()).isEqualTo(local.frameCount());
            }
            assertThat(StoreIndexSummary.stamp(FILES, dir)).isEqualTo(StoreIndexSummary.stamp(FILES, dir));
        }
        Image only = ImgStore.extractOnlyFrame(FILES, dir, 0);
        try (ImgStore local = ImgStore.open(f.dir())) {
            assertThat(only.sameAs(ImgStore.extractOnlyFrame(StoreFiles.LOCAL, f.dir(), 0))).isTrue();
        }
    }
}
