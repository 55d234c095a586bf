package io.imgstore.service.ingest;

import io.imgstore.format.ExtraDataTooLargeException;
import io.imgstore.format.InvalidImageException;
import io.imgstore.service.web.BadRequestException;
import io.imgstore.service.web.Problems;
import io.imgstore.service.web.WsMessages;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.databind.JsonNode;

/**
 * {@code /stores/{id}/ingest}: each binary message is one frame record (the wire format of
 * {@code POST /stores/{id}/frames}); text messages {@code {"extra": {...}}} and {@code {"close": true}}.
 * The server answers {@code {"frames_written": n}} after each frame is written, a problem object for
 * errors (a malformed message is dropped, the connection stays open), and
 * {@code {"closed": true, "frame_count": n}} once the store is closed.
 *
 * <p>Messages are taken in parts as they arrive (a frame is never buffered twice); while the writer
 * is behind, the handler waits, Tomcat stops reading the socket and the rig's sends slow down.
 */
@Component
public class IngestWebSocketHandler extends AbstractWebSocketHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IngestWebSocketHandler.class);
    private static final String STATE = "imgstore.ingest.state";
    private static final String OPENING = "imgstore.ingest.opening";

    /** Close status of a stream the server ends because it is stopping: the rig should reconnect. */
    static final CloseStatus RESTARTING = new CloseStatus(1012, "server restarting; reconnect");

    private final IngestSessions sessions;
    private final Problems problems;
    /** The connections streaming now, for {@link #endAll()} at shutdown. */
    private final java.util.Set<State> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public IngestWebSocketHandler(IngestSessions sessions, Problems problems) {
        this.sessions = sessions;
        this.problems = problems;
    }

    private static final class State {
        final WebSocketSession out;
        final WriterSession session;
        final RecordDecoder decoder;
        WriterSession.Stream stream;
        boolean skipRestOfMessage;
        /** Ended by the server's shutdown: further messages are dropped. Guarded by this state's monitor. */
        boolean ended;

        State(WebSocketSession out, WriterSession session, RecordDecoder decoder) {
            this.out = out;
            this.session = session;
            this.decoder = decoder;
        }
    }

    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    /**
     * Handshakes answered whose connection has not opened its stream yet, oldest first: between
     * Tomcat's {@code 101} and {@link #afterConnectionEstablished} a client may already have sent its
     * frames, closed the socket and asked {@code POST /stores/{id}/close}, which must not close the
     * store before that stream holds it ({@link #awaitOpened}). A handshake that never opens (refused
     * by a later interceptor, a bad upgrade, a client gone) counts for {@link #OPENING_LIFETIME_NANOS}
     * only, so neither a close nor the memory of this queue depends on it.
     */
    private final Queue<Opening> opening = new ConcurrentLinkedQueue<>();

    /** How long an answered handshake may take to open its connection before it no longer counts. */
    static final long OPENING_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** One answered handshake (identity: each is its own). */
    private static final class Opening {
        final String storeId;
        final long since = System.nanoTime();

        Opening(String storeId) {
            this.storeId = storeId;
        }

        boolean expired(long now) {
            return now - since > OPENING_LIFETIME_NANOS;
        }
    }

    /** The handshake interceptor that notes {@link #opening} handshakes; registered with this handler. */
    HandshakeInterceptor openingCounter() {
        return new HandshakeInterceptor() {
            @Override
            public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                           Map<String, Object> attributes) {
                dropExpired();
                Opening o = new Opening(WsMessages.storeId(request.getURI(), "ingest"));
                opening.add(o);
                attributes.put(OPENING, o);
                return true;
            }

            @Override
            public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                       Exception exception) {
                // a handshake that fails here never opens: it expires (the attributes are not at hand)
            }
        };
    }

    private void dropExpired() {
        long now = System.nanoTime();
        for (Opening head = opening.peek(); head != null && head.expired(now); head = opening.peek()) {
            opening.remove(head);
        }
    }

    /** The connection of these handshake attributes has opened (or failed to open) its stream. */
    void opened(Map<String, Object> attributes) {
        Object o = attributes.remove(OPENING);
        if (o != null && opening.remove(o)) {
            synchronized (opening) {
                opening.notifyAll();
            }
        }
    }

    private boolean isOpening(String id) {
        long now = System.nanoTime();
        for (Opening o : opening) {
            if (o.storeId.equals(id) && !o.expired(now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits (at most {@code maxMillis}) until every WebSocket connection to the store whose handshake was
     * answered has opened its stream, so that a close asked right after the frames were sent comes after them.
     */
    void awaitOpened(String id, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        synchronized (opening) {
            long left;
            while (isOpening(id) && (left = deadline - System.nanoTime()) > 0) {
                // woken when a connection opens; rechecks at least every 100 ms for handshakes that expire
                TimeUnit.NANOSECONDS.timedWait(opening, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession ws) throws Exception {
        try {
            openStream(ws);
        } finally {
            opened(ws.getAttributes());
        }
    }

    private void openStream(WebSocketSession ws) {
        WebSocketSession out = new ConcurrentWebSocketSessionDecorator(ws, 10_000, 4 * 1024 * 1024);
        String id = WsMessages.storeId(ws, "ingest");
        try {
            WriterSession session = sessions.session(id);
            State st = new State(out, session, session.decoder(sessions.properties()));
            st.stream = session.openStream("WebSocket from " + ws.getRemoteAddress(),
                    n -> WsMessages.sendQuietly(out, WsMessages.json(Map.of("frames_written", n))));
            ws.getAttributes().put(STATE, st);
            active.add(st);
            if (sessions.stopping()) {
                endAll();
            }
        } catch (ShuttingDownException e) {
            WsMessages.sendQuietly(out, WsMessages.problem(problems.of(e)));
            try {
                out.close(RESTARTING);
            } catch (Exception ignored) {
                // gone
            }
        } catch (RuntimeException e) {
            fail(out, problems.ofStoreFailure(e, "", null));
        }
    }

    /** Sends the problem and closes the connection (the problem's type is the close reason). */
    private static void fail(WebSocketSession out, ProblemDetail problem) {
        WsMessages.sendQuietly(out, WsMessages.problem(problem));
        try {
            String type = String.valueOf(problem.getType());
            out.close(CloseStatus.POLICY_VIOLATION.withReason(type.substring(type.lastIndexOf('/') + 1)));
        } catch (Exception ignored) {
            // gone
        }
    }

    private static State state(WebSocketSession ws) {
        return (State) ws.getAttributes().get(STATE);
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession ws, BinaryMessage message) throws Exception {
        State st = state(ws);
        if (st == null) {
            return;
        }
        synchronized (st) {
            if (!st.ended) {
                handleBinary(st, message);
            }
        }
    }

    /**
     * Server shutdown ({@link IngestShutdown}), after {@link IngestSessions#beginShutdown()}: each streaming
     * connection's queued frames are written, the client is told how many ({@code frames_written}) and the
     * connection is closed with 1012 (service restart) so the rig reconnects once the server is back.
     */
    void endAll() {
        for (State st : active) {
            long n;
            synchronized (st) {
                if (st.ended) {
                    continue;
                }
                st.ended = true;
                st.decoder.abort();
                n = st.stream.drain();
                st.stream.close();
            }
            active.remove(st);
            ProblemDetail p = problems.of(new ShuttingDownException("the server is stopping; reconnect after"
                    + " its restart (the store stays open for continuation)"));
            p.setProperty("frames_accepted", n);
            p.setProperty("frame_count", st.session.frameCount());
            WsMessages.sendQuietly(st.out, WsMessages.problem(p));
            try {
                st.out.close(RESTARTING);
            } catch (Exception ignored) {
                // gone
            }
        }
    }

    private void handleBinary(State st, BinaryMessage message) throws Exception {
        if (!st.skipRestOfMessage) {
            try {
                st.decoder.feed(message.getPayload(), st.stream::submit);
                if (message.isLast() && !st.decoder.atBoundary()) {
                    throw new MalformedRecordException("message ended inside a record (" + st.decoder.describePosition()
                            + "); each binary message must hold one complete record");
                }
            } catch (MalformedRecordException | InvalidImageException e) {
                st.decoder.abort();
                st.skipRestOfMessage = !message.isLast();
                long n = st.stream.drain();
                ProblemDetail p = problems.of(RecordDecoder.malformed(e), "; the message was dropped");
                p.setProperty("frames_accepted", n);
                p.setProperty("frame_count", st.session.frameCount());
                WsMessages.sendQuietly(st.out, WsMessages.problem(p));
                return;
            } catch (StoreClosedException e) {
                st.decoder.abort();
                fail(st.out, problems.of(e));
                return;
            } catch (ShuttingDownException e) {
                // the server is stopping: endAll (from the shutdown thread) tells the client and closes
                st.decoder.abort();
                return;
            } catch (RuntimeException e) {
                // a write failed: report it with what was accepted, and stop
                st.decoder.abort();
                long n = st.stream.drain();
                LOG.warn("WebSocket ingest into {} failed: {}", st.session.id(), e.toString());
                ProblemDetail p = problems.ofStoreFailure(e, "writing failed: ", null);
                p.setProperty("frames_accepted", n);
                p.setProperty("frame_count", st.session.frameCount());
                WsMessages.sendQuietly(st.out, WsMessages.problem(p));
                st.out.close(CloseStatus.SERVER_ERROR);
                return;
            }
        } else if (message.isLast()) {
            st.skipRestOfMessage = false;
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession ws, TextMessage message) throws Exception {
        State st = state(ws);
        if (st == null) {
            return;
        }
        long limit = sessions.properties().maxExtraDataBytes();
        if (message.getPayloadLength() > limit) {
            WsMessages.sendQuietly(st.out, WsMessages.problem(problems.of(new ExtraDataTooLargeException(
                    "text message of " + message.getPayloadLength() + " characters is larger than "
                            + "imgstore.ingest.max-extra-data-bytes (" + limit + "); dropped"))));
            return;
        }
        JsonNode cmd;
        try {
            cmd = WsMessages.JSON.readTree(message.getPayload());
        } catch (RuntimeException e) {
            cmd = null;
        }
        if (cmd == null || !cmd.isObject()) {
            WsMessages.sendQuietly(st.out, WsMessages.problem(problems.of(new BadRequestException(
                    "text messages must be JSON objects: {\"extra\": {...}} or {\"close\": true}"))));
            return;
        }
        try {
            JsonNode extra = cmd.get("extra");
            if (extra != null && !extra.isNull()) {
                if (!extra.isObject()) {
                    throw new BadRequestException("\"extra\" must be a JSON object");
                }
                if (st.stream.drain() == 0 && st.session.frameCount() == 0) {
                    throw new BadRequestException("extra data belongs to the most recent frame: send a frame first");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> data = WsMessages.JSON.convertValue(extra, Map.class);
                st.stream.addExtraData(data);
            }
            if (cmd.path("close").asBoolean(false)) {
                long n = st.stream.closeStore();
                sessions.afterClose(st.session);
                WsMessages.sendQuietly(st.out, WsMessages.json(Map.of("closed", true, "frame_count", n)));
                st.out.close(CloseStatus.NORMAL);
            }
        } catch (RuntimeException e) {
            WsMessages.sendQuietly(st.out, WsMessages.problem(problems.ofStoreFailure(e, "", null)));
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession ws, CloseStatus status) {
        State st = state(ws);
        if (st != null) {
            active.remove(st);
            synchronized (st) {
                if (st.ended) {
                    return;
                }
                st.ended = true;
                st.decoder.abort();
                st.stream.close(); // every complete frame is written; the store stays open for the next client
            }
        }
    }
}
