package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.StoreFormat;
import io.imgstore.format.codec.CodecInfo;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FormatsCommandTest {

    @Test
    void listsEveryFormatWithWhatThisBuildCanDo() {
        CliTest.Run r = CliTest.run("formats");
        assertThat(r.exit()).as(r.err()).isZero();
        for (StoreFormat f : StoreFormat.SUPPORTED) {
            assertThat(r.out()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(f.name()) + " +" + f.storeClass()
                    + " +\\" + f.extension() + " +(yes|no) +yes +yes ");
        }
        assertThat(r.out()).contains("H.264 encoder: " + CodecInfo.h264Encoder());
    }

    @Test
    void jsonNamesTheH264Encoder() {
        CliTest.Run r = CliTest.run("formats", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = JsonMapper.builder().build().readTree(r.out());
        assertThat(j.get("formats").size()).isEqualTo(StoreFormat.SUPPORTED.size());
        JsonNode mp4 = j.get("formats").get(StoreFormat.SUPPORTED.indexOf(StoreFormat.AVC1_MP4));
        assertThat(mp4.get("format").asString()).isEqualTo("avc1/mp4");
        assertThat(mp4.get("write").asBoolean()).isTrue();
        assertThat(mp4.get("codec").asString()).contains(CodecInfo.h264Encoder().split(" ")[0]);
        assertThat(j.get("h264_encoder").asString()).matches("(libopenh264|libx264).*");
        assertThat(j.get("libraries").asString()).contains("FFmpeg").contains("OpenCV");
    }
}
