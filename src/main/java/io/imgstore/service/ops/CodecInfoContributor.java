package io.imgstore.service.ops;

import io.imgstore.format.codec.CodecInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/info}'s {@code codecs} section: the H.264 encoder of this build (which decides the
 * licence of the avc1/mp4 stores it writes and how fast it encodes) and the FFmpeg/OpenCV versions.
 * Version and git commit come from Spring Boot's own contributors (build-info, git.properties).
 */
@Component
public class CodecInfoContributor implements InfoContributor {

    private volatile Map<String, Object> codecs;

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("codecs", codecs());
    }

    private Map<String, Object> codecs() {
        Map<String, Object> c = codecs;
        if (c == null) {
            c = new LinkedHashMap<>();
            try {
                String h264 = CodecInfo.h264Encoder();
                c.put("h264_encoder", h264 == null ? "none" : h264);
                c.put("versions", CodecInfo.versions());
            } catch (RuntimeException | LinkageError e) {
                c.put("error", "codec natives not loadable: " + e);
            }
            codecs = c;
        }
        return c;
    }
}
