package io.imgstore.service.read;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the integration tests (raw paths are sent as written, so encoded
 * {@code ..} reach the server), and an image decoder independent of the service's own (ImageIO),
 * returning imgstore's layout (BGR) so that {@link io.imgstore.testing.Barcode} checks colour order.
 */
final class HttpTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    HttpTestSupport(int port) {
        this.base = "http://localhost:" + port;
    }

    HttpResponse<byte[]> get(String rawPath, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + rawPath)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(String rawPath) {
        HttpResponse<byte[]> r = get(rawPath);
        if (r.statusCode() != 200) {
            throw new AssertionError(rawPath + " -> " + r.statusCode() + ": " + new String(r.body()));
        }
        return JSON.readTree(r.body());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String header(HttpResponse<byte[]> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /** Decodes PNG/JPEG bytes with ImageIO into imgstore's layout (gray, or BGR; 8 or 16 bit). */
    static Image decode(byte[] encoded) {
        BufferedImage bi;
        try {
            bi = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bi == null) {
            throw new AssertionError("not a readable image");
        }
        Raster r = bi.getRaster();
        int bands = r.getNumBands();
        PixelType type = r.getSampleModel().getSampleSize(0) > 8 ? PixelType.UINT16 : PixelType.UINT8;
        int channels = bands >= 3 ? 3 : 1;
        Image out = Image.blank(bi.getHeight(), bi.getWidth(), channels, type);
        for (int y = 0; y < bi.getHeight(); y++) {
            for (int x = 0; x < bi.getWidth(); x++) {
                if (channels == 1) {
                    out.setSample(y, x, 0, r.getSample(x, y, 0));
                } else {
                    // raster bands are R, G, B; imgstore's channels are B, G, R
                    out.setSample(y, x, 0, r.getSample(x, y, 2));
                    out.setSample(y, x, 1, r.getSample(x, y, 1));
                    out.setSample(y, x, 2, r.getSample(x, y, 0));
                }
            }
        }
        return out;
    }
}
