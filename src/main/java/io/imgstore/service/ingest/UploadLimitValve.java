package io.imgstore.service.ingest;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Bounds HTTP uploads (every {@code POST} under {@code /stores}): at most {@code permits} at once. Each
 * upload holds a Tomcat request thread while it reads its body, so without a bound ~200 clients
 * trickling bodies would hold every thread and freeze all reads. The check runs in the Tomcat
 * pipeline before any filter or servlet, before a byte of the body is read; a refused upload gets
 * {@code 503} problem+json ({@code /problems/busy}, {@code Retry-After: 1}) and its connection is
 * closed instead of drained (Tomcat would otherwise swallow the rest of the body on this thread).
 */
final class UploadLimitValve extends ValveBase {

    private final Semaphore permits;
    private final int limit;
    private final AtomicLong rejected = new AtomicLong();

    UploadLimitValve(int permits) {
        super(true);
        this.limit = permits;
        this.permits = new Semaphore(permits);
    }

    int limit() {
        return limit;
    }

    long rejected() {
        return rejected.get();
    }

    int inUse() {
        return limit - permits.availablePermits();
    }

    static boolean isUpload(String method, String uri) {
        return "POST".equalsIgnoreCase(method) && uri != null && (uri.equals("/stores") || uri.startsWith("/stores/"));
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (!isUpload(request.getMethod(), request.getDecodedRequestURI())) {
            getNext().invoke(request, response);
            return;
        }
        if (!permits.tryAcquire()) {
            rejected.incrementAndGet();
            reject(request, response);
            return;
        }
        try {
            getNext().invoke(request, response);
            if (response.getStatus() >= 400 && "close".equalsIgnoreCase(response.getHeader("Connection"))) {
                // an upload that failed may not have been read to its end, and its client was told the
                // connection closes (UploadRateFilter): close it rather than let Tomcat drain a (slow)
                // body on this thread after the permit is returned
                request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        } finally {
            permits.release();
        }
    }

    private void reject(Request request, Response response) throws IOException {
        // do not drain the body of a refused upload: close the connection after the answer
        request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        byte[] body = ("{\"type\":\"/problems/busy\",\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"too many uploads at once (" + limit + "); retry shortly\",\"instance\":\""
                + json(request.getDecodedRequestURI()) + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(503);
        response.setHeader("Retry-After", "1");
        response.setHeader("Connection", "close");
        response.setContentType("application/problem+json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.finishResponse();
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
