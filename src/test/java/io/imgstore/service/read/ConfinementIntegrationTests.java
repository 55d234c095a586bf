package io.imgstore.service.read;

import static io.imgstore.service.read.HttpTestSupport.header;
import static io.imgstore.service.read.HttpTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Files that are links leading outside the root are never served, YAML errors never quote the file,
 * over-long path segments are a 400, and ETags tell copies and rewritten chunks apart.
 */
class ConfinementIntegrationTests extends ReadIntegrationTestBase {

    static final String SECRET = "TOP-SECRET-7f3a9c";
    static final Path OUTSIDE = TestStores.tempRoot("imgstore-outside");

    /** A store whose metadata.yaml is a link to a (valid) metadata.yaml outside the root. */
    static final String MD_LINK = "confine/md_link";
    /** A video store whose only chunk file is a link to another store's chunk outside the root. */
    static final String CHUNK_LINK = "confine/chunk_link";
    /** A directory store whose first frame file is a link to a file outside the root. */
    static final String FRAME_LINK = "confine/frame_link";
    /** A store whose first chunk index (.npz) is a link to a secret text file outside. */
    static final String INDEX_LINK = "confine/index_link";
    /** A store whose first chunk's extra data is a link to a secret JSON file outside. */
    static final String EXTRA_LINK = "confine/extra_link";
    /** A store whose metadata.yaml is broken YAML holding the secret. */
    static final String BAD_YAML = "confine/bad_yaml";
    /** Two copies of one store (same uuid), the second's frames different. */
    static final String COPY_A = "confine/copy_a";
    static final String COPY_B = "confine/copy_b";

    static {
        try {
            Path secretText = Files.writeString(OUTSIDE.resolve("secret.txt"), SECRET + "\nline two " + SECRET + "\n");
            Path secretJson = Files.writeString(OUTSIDE.resolve("secret.json"),
                    "[{\"frame_number\": 0, \"frame_time\": 1.0, \"secret\": \"" + SECRET + "\"}]");
            Path outsideStore = TestStores.write(OUTSIDE.resolve("video"), StoreFormat.MJPEG_AVI, 16, 32, 1,
                    PixelType.UINT8, 10, 4, 0, 1);
            String md = Files.readString(outsideStore.resolve("metadata.yaml")) + "secret_note: " + SECRET + "\n";
            Files.writeString(OUTSIDE.resolve("video/metadata.yaml"), md);

            Path mdLink = TestStores.write(ROOT.resolve(MD_LINK), StoreFormat.NPY, 16, 32, 1, PixelType.UINT8, 4, 3, 0, 1);
            Files.delete(mdLink.resolve("metadata.yaml"));
            Files.createSymbolicLink(mdLink.resolve("metadata.yaml"), OUTSIDE.resolve("video/metadata.yaml"));

            Path chunkLink = TestStores.write(ROOT.resolve(CHUNK_LINK), StoreFormat.MJPEG_AVI, 16, 32, 1,
                    PixelType.UINT8, 10, 4, 100, 1);
            Files.delete(chunkLink.resolve("000000.avi"));
            Files.createSymbolicLink(chunkLink.resolve("000000.avi"), outsideStore.resolve("000000.avi"));

            Path frameLink = TestStores.write(ROOT.resolve(FRAME_LINK), StoreFormat.NPY, 16, 32, 1, PixelType.UINT8, 4, 3, 0, 1);
            Path frame0;
            try (Stream<Path> s = Files.walk(frameLink)) {
                frame0 = s.filter(p -> p.getFileName().toString().equals("000000.npy")).findFirst().orElseThrow();
            }
            Files.delete(frame0);
            Files.createSymbolicLink(frame0, secretText);

            Path indexLink = TestStores.write(ROOT.resolve(INDEX_LINK), StoreFormat.NPY, 16, 32, 1, PixelType.UINT8, 4, 3, 0, 1);
            Path npz;
            try (Stream<Path> s = Files.walk(indexLink)) {
                npz = s.filter(p -> p.getFileName().toString().endsWith(".npz")).findFirst().orElseThrow();
            }
            Files.delete(npz);
            Files.createSymbolicLink(npz, secretText);

            Path extraLink = TestStores.write(ROOT.resolve(EXTRA_LINK), StoreFormat.NPY, 16, 32, 1, PixelType.UINT8, 4, 3, 0, 1);
            Path extra;
            try (Stream<Path> s = Files.walk(extraLink)) {
                extra = s.filter(p -> p.getFileName().toString().endsWith(".extra.json")).findFirst().orElseThrow();
            }
            Files.delete(extra);
            Files.createSymbolicLink(extra, secretJson);

            Path bad = TestStores.write(ROOT.resolve(BAD_YAML), StoreFormat.NPY, 16, 32, 1, PixelType.UINT8, 4, 3, 0, 1);
            Files.writeString(bad.resolve("metadata.yaml"), "__store:\n  class: DirectoryImgStore\n  note: " + SECRET
                    + ": [unclosed\n  - " + SECRET + "\n");

            TestStores.write(ROOT.resolve(COPY_A), StoreFormat.NPY, 16, 32, 1, PixelType.UINT8, 4, 3, 0, 1);
            copyTree(ROOT.resolve(COPY_A), ROOT.resolve(COPY_B));
            // copy_b: same uuid, its frames from another store
            Path other = TestStores.write(OUTSIDE.resolve("other"), StoreFormat.NPY, 16, 32, 1, PixelType.UINT8, 4, 3, 50, 1);
            try (Stream<Path> s = Files.walk(other)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".npy")).toList()) {
                    Files.copy(p, ROOT.resolve(COPY_B).resolve(other.relativize(p)), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private void assertRefused(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(text(r)).isBetween(400, 499);
        assertThat(header(r, "Content-Type")).startsWith("application/problem+json");
        assertThat(text(r)).doesNotContain(SECRET).doesNotContain(OUTSIDE.toString());
    }

    @Test
    void metadataLinkedOutsideIsNeitherListedNorServed() {
        String list = text(http.get("/stores"));
        assertThat(list).doesNotContain(MD_LINK).doesNotContain(SECRET);
        for (String p : new String[] {"", "/metadata", "/frames/by-index/0", "/frame-metadata", "/extra-data"}) {
            assertRefused(http.get("/stores/" + id(MD_LINK) + p));
        }
    }

    @Test
    void chunkLinkedOutsideIsNotDecoded() {
        HttpResponse<byte[]> r = http.get("/stores/" + id(CHUNK_LINK) + "/frames/by-index/0?format=npy");
        assertRefused(r);
        assertThat(HttpTestSupport.JSON.readTree(r.body()).get("type").asText()).isEqualTo("/problems/outside-root");
    }

    @Test
    void frameFileLinkedOutsideIsNotRead() {
        assertRefused(http.get("/stores/" + id(FRAME_LINK) + "/frames/by-index/0?format=npy"));
        assertThat(http.get("/stores/" + id(FRAME_LINK) + "/frames/by-index/1?format=npy").statusCode()).isEqualTo(200);
    }

    @Test
    void indexLinkedOutsideIsNotRead() {
        assertRefused(http.get("/stores/" + id(INDEX_LINK)));
        assertRefused(http.get("/stores/" + id(INDEX_LINK) + "/frame-metadata"));
    }

    @Test
    void extraDataLinkedOutsideIsNotRead() {
        assertRefused(http.get("/stores/" + id(EXTRA_LINK) + "/extra-data"));
        assertThat(text(http.get("/stores/" + id(EXTRA_LINK)))).doesNotContain(SECRET);
    }

    @Test
    void yamlErrorsNeverQuoteTheFile() {
        HttpResponse<byte[]> r = http.get("/stores/" + id(BAD_YAML));
        assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(text(r)).doesNotContain(SECRET).contains("metadata.yaml").contains("line ");
        String list = text(http.get("/stores?q=confine"));
        assertThat(list).contains(BAD_YAML).doesNotContain(SECRET);
    }

    @Test
    void overlongSegmentsAre400() throws Exception {
        String seg = "a".repeat(300);
        for (String p : new String[] {"/stores/" + seg, "/stores/" + seg + "/frames/by-index/0", "/stores/x~" + seg}) {
            HttpResponse<byte[]> r = http.get(p);
            assertThat(r.statusCode()).as(p).isEqualTo(400);
            assertThat(header(r, "Content-Type")).startsWith("application/problem+json");
            assertThat(text(r)).contains("/problems/bad-request");
        }
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/stores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"confine/" + seg
                        + "\", \"format\": \"npy\", \"imgshape\": [8, 8], \"imgdtype\": \"uint8\", \"chunksize\": 4}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(400);
        assertThat(created.body()).contains("/problems/bad-request");
    }

    private String etag(String store, int index) {
        HttpResponse<byte[]> r = http.get("/stores/" + id(store) + "/frames/by-index/" + index + "?format=npy");
        assertThat(r.statusCode()).isEqualTo(200);
        return header(r, "ETag");
    }

    @Test
    void copiesWithTheSameUuidHaveDifferentETags() throws Exception {
        assertThat(http.json("/stores/" + id(COPY_A)).get("uuid").asText())
                .isEqualTo(http.json("/stores/" + id(COPY_B)).get("uuid").asText());
        String a = etag(COPY_A, 0);
        String b = etag(COPY_B, 0);
        assertThat(a).isNotNull().isNotEqualTo(b);
        // 304 still without decoding for the matching tag
        HttpResponse<byte[]> nm = http.get("/stores/" + id(COPY_A) + "/frames/by-index/0?format=npy", "If-None-Match", a);
        assertThat(nm.statusCode()).isEqualTo(304);
        assertThat(http.get("/stores/" + id(COPY_B) + "/frames/by-index/0?format=npy", "If-None-Match", a).statusCode())
                .isEqualTo(200);
    }

    @Test
    void rewritingAChunkInPlaceChangesTheETag() throws Exception {
        String before = etag(COPY_A, 1);
        assertThat(etag(COPY_A, 1)).isEqualTo(before);
        Path frame1;
        try (Stream<Path> s = Files.walk(ROOT.resolve(COPY_A))) {
            frame1 = s.filter(p -> p.getFileName().toString().equals("000001.npy")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(frame1);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(frame1, bytes);
        Files.setLastModifiedTime(frame1, FileTime.fromMillis(Files.getLastModifiedTime(frame1).toMillis() + 5000));
        assertThat(etag(COPY_A, 1)).isNotEqualTo(before);
        // and the body served under the new tag is the new content (the open reader was refreshed)
        byte[] served = http.get("/stores/" + id(COPY_A) + "/frames/by-index/1?format=npy").body();
        assertThat(served[served.length - 1]).isEqualTo(bytes[bytes.length - 1]);
    }
}
