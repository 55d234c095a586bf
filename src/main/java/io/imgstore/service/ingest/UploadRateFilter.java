package io.imgstore.service.ingest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A minimum data rate for upload bodies: a client that sends fewer than {@code upload-min-bytes} in
 * any {@code upload-rate-window} (a trickle of a few bytes a second) gets an {@link UploadTooSlowException}
 * from its body stream, which the ingest controller answers with {@code 408}, keeping the frames
 * already complete. A client that sends nothing at all is ended by Tomcat's
 * {@code server.tomcat.connection-timeout} (the wait of a single read).
 */
final class UploadRateFilter extends OncePerRequestFilter {

    private final long minBytes;
    private final long windowNanos;

    UploadRateFilter(UploadLimitProperties props) {
        this.minBytes = props.uploadMinBytes();
        this.windowNanos = props.uploadRateWindow().toNanos();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !UploadLimitValve.isUpload(request.getMethod(), request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpServletRequest req = windowNanos <= 0 ? request : new HttpServletRequestWrapper(request) {
            private ServletInputStream wrapped;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (wrapped == null) {
                    wrapped = new RateChecked(super.getInputStream(), minBytes, windowNanos);
                }
                return wrapped;
            }
        };
        chain.doFilter(req, new ClosingOnError(response));
    }

    /**
     * An upload answered with an error may not have been read to its end: its response says
     * {@code Connection: close} (set with the status, before anything is sent), and
     * {@link UploadLimitValve} then has Tomcat close the connection instead of draining the body.
     */
    static final class ClosingOnError extends jakarta.servlet.http.HttpServletResponseWrapper {
        ClosingOnError(HttpServletResponse response) {
            super(response);
        }

        private void close(int sc) {
            if (sc >= 400 && !isCommitted()) {
                setHeader("Connection", "close");
            }
        }

        @Override
        public void setStatus(int sc) {
            close(sc);
            super.setStatus(sc);
        }

        @Override
        public void sendError(int sc) throws IOException {
            close(sc);
            super.sendError(sc);
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            close(sc);
            super.sendError(sc, msg);
        }
    }

    /** Counts bytes per window; checked after every read, so a trickle is caught within a window. */
    static final class RateChecked extends ServletInputStream {
        private final ServletInputStream in;
        private final long minBytes;
        private final long windowNanos;
        private long windowStart = System.nanoTime();
        private long inWindow;

        RateChecked(ServletInputStream in, long minBytes, long windowNanos) {
            this.in = in;
            this.minBytes = minBytes;
            this.windowNanos = windowNanos;
        }

        private void count(long n) throws UploadTooSlowException {
            if (n > 0) {
                inWindow += n;
            }
            long now = System.nanoTime();
            if (now - windowStart >= windowNanos) {
                if (inWindow < minBytes && n >= 0) {
                    throw new UploadTooSlowException("the upload sent " + inWindow + " bytes in "
                            + (now - windowStart) / 1_000_000 + " ms, fewer than " + minBytes + " per "
                            + windowNanos / 1_000_000 + " ms");
                }
                windowStart = now;
                inWindow = 0;
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            count(n);
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
