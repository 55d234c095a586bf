package io.imgstore.service.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * HTTP/1.1 over a plain socket: the request line goes out byte for byte as written (no client
 * normalizes {@code /./}, {@code //}, {@code %73} or {@code ;x} away), one request per connection.
 */
final class RawHttp {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean isProblem() {
            String ct = header("Content-Type");
            return ct != null && ct.startsWith("application/problem+json") && body.contains("\"type\"");
        }

        @Override
        public String toString() {
            return status + " " + headers.get("content-type") + " " + body;
        }
    }

    static final String WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private RawHttp() {
    }

    static Response send(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\n");
            if (!headers.containsKey("Connection")) {
                head.append("Connection: close\r\n");
            }
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    /** A WebSocket handshake (GET with Upgrade); a 101 answer ends the exchange. */
    static Response handshake(int port, String target, Map<String, String> extra) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Upgrade", "websocket");
        h.put("Connection", "Upgrade");
        h.put("Sec-WebSocket-Version", "13");
        h.put("Sec-WebSocket-Key", WS_KEY);
        h.putAll(extra);
        return send(port, "GET", target, h, null);
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while (last4 != 0x0d0a0d0a && (b = in.read()) >= 0) {
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
        }
        if (status == 101) {
            return new Response(status, headers, "");
        }
        byte[] rest;
        String length = headers.get("content-length");
        if (length != null) {
            rest = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = dechunk(in);
        } else {
            rest = in.readAllBytes();
        }
        return new Response(status, headers, new String(rest, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    /** Every file and folder under {@code root} with its size: equal snapshots, nothing written. */
    static Map<String, Long> snapshot(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                files.put(root.relativize(p).toString(), Files.isDirectory(p) ? -1L : Files.size(p));
            }
        }
        return files;
    }
}
