package io.imgstore.service.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an RFC 9457 {@code application/problem+json} body straight to a servlet response, for the
 * places outside Spring MVC's exception handling: the security chain's entry point, access-denied
 * and firewall handlers, the {@code /error} page and Tomcat's error report valve. The body is a
 * {@link ProblemDetail} serialized by the JSON mapper, the same members MVC writes.
 */
public final class ProblemWriter {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json == null ? JsonMapper.builder().build() : json;
    }

    /** Writes {@code problem}; does nothing once the response is committed. */
    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        byte[] body = bytes(problem);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    public void write(HttpServletResponse response, HttpStatus status, String type, String detail) throws IOException {
        write(response, Problems.problem(status, type, detail));
    }

    /** The JSON of a problem: its standard members (null ones left out), then its extension properties. */
    public byte[] bytes(ProblemDetail problem) {
        Map<String, Object> members = new LinkedHashMap<>();
        URI type = problem.getType();
        members.put("type", type == null ? "about:blank" : type.toString());
        if (problem.getTitle() != null) {
            members.put("title", problem.getTitle());
        }
        members.put("status", problem.getStatus());
        if (problem.getDetail() != null) {
            members.put("detail", problem.getDetail());
        }
        if (problem.getInstance() != null) {
            members.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            problem.getProperties().forEach(members::putIfAbsent);
        }
        return json.writeValueAsBytes(members);
    }

    /** The problem type ({@code /problems/...}) of an error status without a more specific one. */
    public static String typeFor(int status) {
        return Problems.typeFor(status);
    }
}
