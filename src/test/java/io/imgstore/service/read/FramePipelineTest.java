package io.imgstore.service.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imgstore.format.FrameTimes;
import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.internal.DirectoryFrameSource;
import io.imgstore.format.npy.Npy;
import io.imgstore.service.read.Representation.Kind;
import io.imgstore.service.web.BadRequestException;
import io.imgstore.testing.Barcode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.web.HttpMediaTypeNotAcceptableException;

/** The small steps of the frame pipeline and their helpers, without Spring. */
class FramePipelineTest {

    private final RepresentationResolver resolver = new RepresentationResolver(FrameWorkerProperties.defaults());

    @Test
    void formatParameterWinsOverAccept() throws Exception {
        assertThat(resolver.resolve("npy", "image/png", null, null, null).kind()).isEqualTo(Kind.NPY);
        assertThat(resolver.resolve("JPG", null, 70, null, null)).isEqualTo(new Representation(Kind.JPEG, 70, 0, 0));
    }

    @Test
    void acceptPicksTheBestRankedTypeAndPngOnTies() throws Exception {
        assertThat(resolver.resolve(null, null, null, null, null).kind()).isEqualTo(Kind.PNG);
        assertThat(resolver.resolve(null, "*/*", null, null, null).kind()).isEqualTo(Kind.PNG);
        assertThat(resolver.resolve(null, "image/*", null, null, null).kind()).isEqualTo(Kind.PNG);
        assertThat(resolver.resolve(null, "image/jpeg", null, null, null).kind()).isEqualTo(Kind.JPEG);
        assertThat(resolver.resolve(null, "application/x-npy", null, null, null).kind()).isEqualTo(Kind.NPY);
        assertThat(resolver.resolve(null, "image/png;q=0.5, image/jpeg", null, null, null).kind()).isEqualTo(Kind.JPEG);
        assertThat(resolver.resolve(null, "image/*;q=0.9, image/png;q=0", null, null, null).kind()).isEqualTo(Kind.JPEG);
        assertThat(resolver.resolve(null, "text/html,application/xhtml+xml,*/*;q=0.8", null, null, null).kind())
                .isEqualTo(Kind.PNG);
        assertThat(resolver.resolve(null, "image/jpeg", null, null, null).quality()).isEqualTo(90);
    }

    @Test
    void unacceptableAndMalformedRequestsAreRefused() {
        assertThatThrownBy(() -> resolver.resolve(null, "text/html", null, null, null))
                .isInstanceOf(HttpMediaTypeNotAcceptableException.class);
        assertThatThrownBy(() -> resolver.resolve("gif", null, null, null, null)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> resolver.resolve("jpeg", null, 0, null, null)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> resolver.resolve("jpeg", null, 101, null, null)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> resolver.resolve(null, null, null, 0, null)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> resolver.resolve(null, null, null, null, 9000)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> resolver.resolve(null, "image/png;q=nonsense/x", null, null, null))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void targetSizeKeepsAspectAndNeverEnlarges() {
        assertThat(new Representation(Kind.PNG, 0, 0, 0).targetSize(320, 240)).containsExactly(320, 240);
        assertThat(new Representation(Kind.PNG, 0, 160, 0).targetSize(320, 240)).containsExactly(160, 120);
        assertThat(new Representation(Kind.PNG, 0, 0, 60).targetSize(320, 240)).containsExactly(80, 60);
        assertThat(new Representation(Kind.PNG, 0, 100, 100).targetSize(320, 240)).containsExactly(100, 75);
        assertThat(new Representation(Kind.PNG, 0, 1000, 0).targetSize(320, 240)).containsExactly(320, 240);
        assertThat(new Representation(Kind.PNG, 0, 1, 0).targetSize(320, 2)).containsExactly(1, 1);
    }

    @Test
    void tokensNameEveryRepresentationDifferently() {
        assertThat(List.of(new Representation(Kind.PNG, 0, 0, 0), new Representation(Kind.JPEG, 90, 0, 0),
                new Representation(Kind.JPEG, 80, 0, 0), new Representation(Kind.NPY, 0, 0, 0),
                new Representation(Kind.PNG, 0, 64, 0), new Representation(Kind.PNG, 0, 0, 64))
                .stream().map(Representation::token).distinct()).hasSize(6);
    }

    @Test
    void ifNoneMatchUsesWeakComparisonListsAndStar() {
        String tag = "\"abc-1-png-v1\"";
        assertThat(ETags.matches(tag, tag)).isTrue();
        assertThat(ETags.matches("W/" + tag, tag)).isTrue();
        assertThat(ETags.matches("\"x\", " + tag, tag)).isTrue();
        assertThat(ETags.matches("*", tag)).isTrue();
        assertThat(ETags.matches("\"abc-1-png\"", tag)).isFalse();
        assertThat(ETags.matches(null, tag)).isFalse();
        assertThat(ETags.matches(tag, null)).isFalse();
    }

    @Test
    void frameTimesRoundTripExactlyWithoutExponent() {
        Random r = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            double t = 1.7e9 + r.nextDouble() * 1e8;
            String s = FrameTimes.format(t);
            assertThat(s).doesNotContain("E");
            assertThat(Double.parseDouble(s)).isEqualTo(t);
        }
        assertThat(FrameTimes.format(1700300166.2857847)).isEqualTo("1700300166.2857847");
        assertThat(FrameTimes.format(0.0)).isEqualTo("0.0");
        assertThat(FrameTimes.format(1e-7)).isEqualTo("0.0000001"); // shortest digits (was 0.00000010)
        assertThat(Double.parseDouble(FrameTimes.format(1e-7))).isEqualTo(1e-7);
    }

    @Test
    void npyIsTheExactArrayInImgstoreLayout() throws IOException {
        Image color = Barcode.draw(1234, 6, 32, 3, PixelType.UINT8);
        var a = Npy.read(new ByteArrayInputStream(FrameEncoder.npy(color)));
        assertThat(a.shape()).containsExactly(6, 32, 3);
        assertThat(DirectoryFrameSource.toImage(a, "t").sameAs(color)).isTrue();
        Image gray16 = Barcode.draw(7, 4, 16, 1, PixelType.UINT16);
        var b = Npy.read(new ByteArrayInputStream(FrameEncoder.npy(gray16)));
        assertThat(b.descr()).isEqualTo("<u2");
        assertThat(b.shape()).containsExactly(4, 16);
        assertThat(DirectoryFrameSource.toImage(b, "t").sameAs(gray16)).isTrue();
    }

    @Test
    void jpegOfSixteenBitFramesKeepsTheHighByte() {
        Image u16 = Barcode.draw(0xA5A5, 8, 64, 1, PixelType.UINT16);
        Image u8 = FrameConverter.toUint8(u16);
        assertThat(u8.pixelType()).isEqualTo(PixelType.UINT8);
        assertThat(Barcode.decode(u8)).isEqualTo(0xA5A5);
        assertThat(u8.sample(0, 0, 0)).isEqualTo(60000 >> 8);
    }

    @Test
    void csvQuotesOnlyWhatNeedsIt() {
        assertThat(Csv.field("plain")).isEqualTo("plain");
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.field(" padded")).isEqualTo("\" padded\"");
        assertThat(Csv.field(null)).isEmpty();
    }

    @Test
    void extraDataColumnsAreTheUnionWithFrameKeysFirst() {
        List<Map<String, Object>> rows = List.of(
                Map.of("frame_number", 1, "a", 1),
                new java.util.LinkedHashMap<>(Map.of("b", 2, "frame_time", 1.0, "frame_index", 0)));
        assertThat(FrameData.columns(rows).subList(0, 3)).containsExactly("frame_index", "frame_number", "frame_time");
        assertThat(FrameData.columns(rows)).containsExactlyInAnyOrder("frame_index", "frame_number", "frame_time", "a", "b");
        assertThat(FrameData.columns(List.of())).containsExactly("frame_index", "frame_number", "frame_time");
    }

    @Test
    void windowsAreInclusiveAndValidated() {
        Window w = new Window(10L, 20L, null, 5.0);
        assertThat(w.contains(10, 5.0)).isTrue();
        assertThat(w.contains(21, 1.0)).isFalse();
        assertThat(w.contains(15, 5.1)).isFalse();
        assertThat(new Window(null, null, null, null).open()).isTrue();
        assertThatThrownBy(() -> new Window(5L, 4L, null, null)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> new Window(null, null, Double.NaN, null)).isInstanceOf(BadRequestException.class);
    }
}
