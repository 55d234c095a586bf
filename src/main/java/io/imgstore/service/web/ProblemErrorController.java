package io.imgstore.service.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Boot's {@code /error} page as problem+json (replaces the whitelabel/JSON error controller):
 * errors raised outside MVC's exception handlers ({@code sendError} by a filter or by Tomcat inside
 * the servlet container) reach this page. Written directly, whatever the {@code Accept} header says,
 * so a malformed {@code Accept} cannot turn it into an empty 406.
 */
@Controller
public class ProblemErrorController implements ErrorController {

    private final ProblemWriter problems;

    public ProblemErrorController(ObjectProvider<JsonMapper> json) {
        this.problems = new ProblemWriter(json.getIfAvailable());
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : HttpStatus.NOT_FOUND.value();
        HttpStatus resolved = HttpStatus.resolve(status);
        if (resolved == null || !resolved.isError()) {
            resolved = status < 400 ? HttpStatus.NOT_FOUND : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        String detail = resolved.is5xxServerError() ? "internal error; see the service log" : resolved.getReasonPhrase();
        problems.write(response, resolved, Problems.typeFor(resolved.value()), detail);
    }
}
