package io.imgstore.service.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.ImgStoreWriter;
import io.imgstore.format.PixelType;
import io.imgstore.format.StoreFormat;
import io.imgstore.format.StoreSpec;
import io.imgstore.testing.Barcode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A store written by another process while the server has it open (e.g. {@code imgstore save} or
 * Python imgstore writing into the root): the server sees the new frames and the close without a
 * restart (the registry re-checks the index files of stores being written once per scan interval,
 * 0 s in these tests).
 */
class ExternalWriterIntegrationTests extends ReadIntegrationTestBase {

    @Test
    void framesWrittenByAnotherWriterAppearAndTheCloseIsSeen() {
        String path = "external/rig";
        String id = id(path);
        try (ImgStoreWriter w = ImgStoreWriter.create(ROOT.resolve(path), StoreSpec.of(StoreFormat.NPY, 32, 64))) {
            for (int n = 0; n < 3; n++) {
                w.addImage(Barcode.draw(n, 32, 64, 1, PixelType.UINT8), n, TestStores.time(n));
            }
            w.sync();
            assertThat(http.json("/stores/" + id).get("frame_count").asLong()).isEqualTo(3);
            assertThat(http.get("/stores/" + id + "/frames/5").statusCode()).isEqualTo(404);

            for (int n = 3; n < 7; n++) {
                w.addImage(Barcode.draw(n, 32, 64, 1, PixelType.UINT8), n, TestStores.time(n));
            }
            w.sync();
            assertThat(http.json("/stores/" + id).get("frame_count").asLong()).isEqualTo(7);
            HttpResponse<byte[]> frame = http.get("/stores/" + id + "/frames/5?format=png");
            assertThat(frame.statusCode()).isEqualTo(200);
            assertThat(Barcode.decode(HttpTestSupport.decode(frame.body()))).isEqualTo(Barcode.expected(5));
        }
        var summary = http.json("/stores/" + id);
        assertThat(summary.get("frame_count").asLong()).isEqualTo(7);
        assertThat(summary.get("writing").asBoolean()).isFalse();
    }
}
