package io.imgstore.service.web;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.util.UriTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Small helpers shared by the WebSocket handlers (ingest, live). */
public final class WsMessages {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private WsMessages() {
    }

    /** The store id in {@code /stores/{id}/<tail>}. */
    public static String storeId(WebSocketSession ws, String tail) {
        return storeId(ws.getUri(), tail);
    }

    /** The store id of a WebSocket request to {@code /stores/{id}/tail}, "" when the path has none. */
    public static String storeId(URI uri, String tail) {
        Map<String, String> vars = new UriTemplate("/stores/{id}/" + tail).match(uri == null ? "" : uri.getPath());
        String id = vars.get("id");
        return id == null ? "" : org.springframework.web.util.UriUtils.decode(id, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static TextMessage json(Map<String, ?> body) {
        return new TextMessage(JSON.writeValueAsString(body));
    }

    private static final ProblemWriter PROBLEMS = new ProblemWriter(JSON);

    /** A problem object (RFC 9457 members, then its properties) as a text message. */
    public static TextMessage problem(ProblemDetail problem) {
        return new TextMessage(new String(PROBLEMS.bytes(problem), java.nio.charset.StandardCharsets.UTF_8));
    }

    public static void sendQuietly(WebSocketSession ws, org.springframework.web.socket.WebSocketMessage<?> m) {
        try {
            if (ws.isOpen()) {
                ws.sendMessage(m);
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer is gone
        }
    }
}
