package io.imgstore.service.bulk;

import io.imgstore.service.web.ApiError;
import io.imgstore.service.web.BadRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The body of {@code POST /stores/{id}/frames} (a read): the frame numbers, as JSON
 * {@code {"numbers": [1, 5, 9]}} or as a form ({@code numbers=1,5,9}, also repeated). Bounded
 * before anything is kept: a {@code Content-Length} above {@code imgstore.bulk.max-body-bytes} is
 * refused unread; a body without one is cut off once it grows past it (a form is parsed by Tomcat
 * within {@code server.tomcat.max-http-form-post-size}, then checked the same way); more numbers than
 * {@code imgstore.bulk.max-frames} are refused as soon as the one too many is read.
 */
final class NumberListBody {

    /** A body over {@code imgstore.bulk.max-body-bytes}: {@code 413}. */
    static final class TooLarge extends RuntimeException implements ApiError {
        TooLarge(String message) {
            super(message);
        }

        @Override
        public HttpStatus status() {
            return HttpStatus.CONTENT_TOO_LARGE;
        }

        @Override
        public String problemType() {
            return "payload-too-large";
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private NumberListBody() {
    }

    /**
     * The body, cut off with {@link TooLarge} once more than {@code max} bytes arrive (a chunked
     * body has no {@code Content-Length} to check first). Written here because the libraries at hand
     * do not bound a stream: Jackson's {@code maxDocumentLength} is only checked when its 8 KB buffer
     * refills, and commons-io's {@code BoundedInputStream} is not a dependency of the service.
     */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count(k);
            return k;
        }

        private void count(long n) {
            count += n;
            if (count > max) {
                throw tooLarge(-1, max);
            }
        }
    }

    static long[] read(HttpServletRequest request, int maxFrames, long maxBytes) throws IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            throw tooLarge(length, maxBytes);
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(request.getContentType());
        } catch (RuntimeException e) {
            throw new BadRequestException("malformed Content-Type");
        }
        if (MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type)) {
            String[] values = request.getParameterValues("numbers");
            if (values == null) {
                throw new BadRequestException("the form has no 'numbers' field");
            }
            return parseForm(values, maxFrames);
        }
        try (InputStream in = new Limited(request.getInputStream(), maxBytes);
             JsonParser p = JSON.createParser(ObjectReadContext.empty(), in)) {
            return parseJson(p, maxFrames);
        } catch (JacksonException e) {
            if (e.getCause() instanceof TooLarge t) {
                throw t;
            }
            throw new BadRequestException("the body is not {\"numbers\": [frame numbers]}: " + e.getOriginalMessage());
        }
    }

    private static long[] parseJson(JsonParser p, int maxFrames) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new BadRequestException("the body must be a JSON object {\"numbers\": [...]}");
        }
        long[] numbers = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            if (!"numbers".equals(name) || numbers != null) {
                throw new BadRequestException(numbers != null ? "'numbers' given twice"
                        : "unknown key '" + abbreviate(name) + "' (only 'numbers')");
            }
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new BadRequestException("'numbers' must be an array of frame numbers");
            }
            long[] buf = new long[256];
            int n = 0;
            for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                if (v != JsonToken.VALUE_NUMBER_INT) {
                    throw new BadRequestException("numbers: '" + abbreviate(p.getString()) + "' is not a frame number");
                }
                if (n == maxFrames) {
                    throw overLimit(maxFrames);
                }
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxFrames));
                }
                buf[n++] = p.getLongValue();
            }
            numbers = Arrays.copyOf(buf, n);
        }
        if (numbers == null || numbers.length == 0) {
            throw new BadRequestException("'numbers' is missing or empty");
        }
        return numbers;
    }

    private static long[] parseForm(String[] values, int maxFrames) {
        long[] buf = new long[256];
        int n = 0;
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                if (n == maxFrames) {
                    throw overLimit(maxFrames);
                }
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxFrames));
                }
                try {
                    buf[n++] = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    throw new BadRequestException("numbers: '" + abbreviate(part) + "' is not a frame number");
                }
            }
        }
        return Arrays.copyOf(buf, n);
    }

    private static BadRequestException overLimit(int maxFrames) {
        return new BadRequestException("the request selects more than imgstore.bulk.max-frames (" + maxFrames
                + ") frames; split it into smaller lists");
    }

    private static TooLarge tooLarge(long length, long maxBytes) {
        return new TooLarge("the body" + (length >= 0 ? " (" + length + " bytes)" : "") + " is larger than "
                + "imgstore.bulk.max-body-bytes (" + maxBytes + " bytes)");
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 30 ? s.substring(0, 30) + "..." : s;
    }
}
