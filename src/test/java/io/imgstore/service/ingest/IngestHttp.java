package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntSupplier;
import tools.jackson.databind.JsonNode;

/** The HTTP side of the ingest tests: requests to a server on localhost (random port or packaged jar). */
final class IngestHttp {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final IntSupplier port;

    /** The port is read at each request: injected ports are set after the test instance is built. */
    IngestHttp(IntSupplier port) {
        this.port = port;
    }

    HttpClient client() {
        return client;
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port.getAsInt() + path);
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return client.send(request, body);
    }

    HttpResponse<String> postJson(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs records with chunked transfer encoding (unknown length). */
    HttpResponse<String> pushChunked(String id, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(uri("/stores/" + id + "/frames"))
                        .header("Content-Type", IngestController.FRAMES)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /stores} of a gray store; asserts 201 and returns the new store's id. */
    String create(String path, String format, int height, int width, int chunksize) throws Exception {
        HttpResponse<String> r = postJson("/stores", "{\"path\": \"" + path + "\", \"format\": \"" + format
                + "\", \"imgshape\": [" + height + ", " + width + "], \"chunksize\": " + chunksize + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asString();
    }

    static JsonNode json(HttpResponse<String> r) {
        return Records.JSON.readTree(r.body());
    }
}
