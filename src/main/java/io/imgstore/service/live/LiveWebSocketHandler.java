package io.imgstore.service.live;

import io.imgstore.format.Frame;
import io.imgstore.format.FrameTimes;
import io.imgstore.format.ImgStore;
import io.imgstore.service.catalog.StoreNotInRootException;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.service.ingest.IngestSessions;
import io.imgstore.service.ingest.LatestFrame;
import io.imgstore.service.ingest.WriterSession;
import io.imgstore.service.read.FrameRendering;
import io.imgstore.service.web.Problems;
import io.imgstore.service.web.WsMessages;
import jakarta.annotation.PreDestroy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import tools.jackson.databind.util.RawValue;

/**
 * {@code /stores/{id}/live}: pushes the frames of a store being recorded to browsers. Each binary
 * message is one record in the ingest wire format: a 4-byte big-endian header length, a JSON header
 * {@code {"frame_number", "frame_time", "frame_index", "payload": "jpeg", "payload_length"}}, then the
 * JPEG. At most {@code imgstore.ingest.live-max-fps} frames a second per watcher; a watcher that is
 * slower gets the newest frame when it is ready (frames in between are skipped, never queued).
 * {@code {"closed": true, "frame_count": n}} (text) when the store is closed. A store that is not
 * open for writing gets its last frame and that message at once.
 */
@Component
public class LiveWebSocketHandler extends AbstractWebSocketHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LiveWebSocketHandler.class);
    private static final String WATCHER = "imgstore.live.watcher";

    private final IngestSessions sessions;
    private final StoreRegistry registry;
    private final ScheduledExecutorService senders;
    private final long minIntervalNanos;
    private final int quality;

    private final Problems problems;

    public LiveWebSocketHandler(IngestSessions sessions, StoreRegistry registry, Problems problems) {
        this.sessions = sessions;
        this.problems = problems;
        this.registry = registry;
        this.senders = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "ingest-live");
            t.setDaemon(true);
            return t;
        });
        this.minIntervalNanos = 1_000_000_000L / sessions.properties().liveMaxFps();
        this.quality = sessions.properties().liveJpegQuality();
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
    }

    /** One browser watching one store. */
    private final class Watcher implements WriterSession.Watcher {
        private final WebSocketSession out;
        private final String encoding;
        private final AtomicReference<LatestFrame> pending = new AtomicReference<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile long lastSent = System.nanoTime() - minIntervalNanos;
        private volatile Long closedWith;

        Watcher(WebSocketSession out, String encoding) {
            this.out = out;
            this.encoding = encoding;
        }

        @Override
        public void frame(LatestFrame frame) {
            pending.set(frame);
            schedule();
        }

        @Override
        public void closed(long frameCount) {
            closedWith = frameCount;
            schedule();
        }

        private void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                long wait = Math.max(0, minIntervalNanos - (System.nanoTime() - lastSent));
                try {
                    senders.schedule(this::send, wait, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    scheduled.set(false);
                }
            }
        }

        private void send() {
            try {
                LatestFrame f = pending.getAndSet(null);
                if (f != null && out.isOpen()) {
                    byte[] jpeg = f.jpeg(encoding, image -> FrameRendering.jpeg(image, quality));
                    out.sendMessage(new BinaryMessage(record(f.frameNumber(), f.frameTime(), f.frameIndex(), jpeg)));
                    lastSent = System.nanoTime();
                }
                Long n = closedWith;
                if (n != null && pending.get() == null) {
                    WsMessages.sendQuietly(out, WsMessages.json(Map.of("closed", true, "frame_count", n)));
                    out.close(CloseStatus.NORMAL);
                    return;
                }
            } catch (Exception e) {
                LOG.debug("live send failed: {}", e.toString());
                try {
                    out.close(CloseStatus.SERVER_ERROR);
                } catch (Exception ignored) {
                    // gone
                }
                return;
            } finally {
                scheduled.set(false);
            }
            if (pending.get() != null || closedWith != null) {
                schedule();
            }
        }
    }

    /** A live message: header length, JSON header, JPEG. */
    static ByteBuffer record(long number, double time, long index, byte[] jpeg) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("frame_number", number);
        h.put("frame_time", Double.isFinite(time) ? new RawValue(FrameTimes.format(time)) : null);
        h.put("frame_index", index);
        h.put("payload", "jpeg");
        h.put("payload_length", jpeg.length);
        byte[] header = WsMessages.JSON.writeValueAsString(h).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + header.length + jpeg.length);
        b.putInt(header.length).put(header).put(jpeg).flip();
        return b;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession ws) throws Exception {
        WebSocketSession out = new ConcurrentWebSocketSessionDecorator(ws, 5_000, 16 * 1024 * 1024);
        String id = WsMessages.storeId(ws, "live");
        WriterSession session = sessions.find(id);
        if (session != null) {
            Watcher w = new Watcher(out, session.spec().encoding());
            ws.getAttributes().put(WATCHER, Map.entry(session, w));
            session.addWatcher(w);
            LatestFrame latest = session.latest();
            if (latest != null) {
                w.frame(latest);
            }
            if (session.isClosed()) {
                w.closed(session.frameCount());
            }
            return;
        }
        // not being written: the last frame, then "closed"
        try (StoreRegistry.Lease lease = registry.lease(id)) {
            ImgStore store = lease.store();
            int n = store.frameCount();
            if (n > 0) {
                Frame f = store.getFrameByIndex(n - 1);
                byte[] jpeg = FrameRendering.jpeg(f.image(), quality);
                out.sendMessage(new BinaryMessage(record(f.info().frameNumber(), f.info().frameTime(), n - 1, jpeg)));
            }
            WsMessages.sendQuietly(out, WsMessages.json(Map.of("closed", true, "frame_count", n)));
            out.close(CloseStatus.NORMAL);
        } catch (StoreNotInRootException | io.imgstore.service.catalog.InvalidStorePathException
                | io.imgstore.format.FileOutsideRootException e) {
            ProblemDetail p = problems.of(e);
            WsMessages.sendQuietly(out, WsMessages.problem(p));
            String type = String.valueOf(p.getType());
            out.close(CloseStatus.POLICY_VIOLATION.withReason(type.substring(type.lastIndexOf('/') + 1)));
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession ws, CloseStatus status) {
        Object o = ws.getAttributes().get(WATCHER);
        if (o instanceof Map.Entry<?, ?> e && e.getKey() instanceof WriterSession s
                && e.getValue() instanceof Watcher w) {
            s.removeWatcher(w);
        }
    }
}
