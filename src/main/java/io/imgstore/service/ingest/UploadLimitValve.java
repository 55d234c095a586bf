package io.imgstore.service.ingest;

import io.imgstore.service.web.ProblemWriter;
import io.imgstore.service.web.Problems;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Bounds HTTP uploads (every {@code POST} under {@code /stores}): at most {@code permits} at once. Each
 * upload holds a Tomcat request thread while it reads its body, so without a bound ~200 clients
 * trickling bodies would hold every thread and freeze all reads. The check runs in the Tomcat
 * pipeline before any filter or servlet, before a byte of the body is read; a refused upload gets
 * {@code 503} problem+json ({@code /problems/busy}, {@code Retry-After: 1}) and its connection is
 * closed instead of drained (Tomcat would otherwise swallow the rest of the body on this thread).
 */
final class UploadLimitValve extends ValveBase {

    private static final ProblemWriter PROBLEMS = new ProblemWriter(null);

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
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "busy",
                "too many uploads at once (" + limit + "); retry shortly");
        problem.setInstance(URI.create(request.getRequestURI()));
        byte[] body = PROBLEMS.bytes(problem);
        response.setStatus(503);
        response.setHeader("Retry-After", "1");
        response.setHeader("Connection", "close");
        response.setContentType("application/problem+json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.finishResponse();
    }

}
