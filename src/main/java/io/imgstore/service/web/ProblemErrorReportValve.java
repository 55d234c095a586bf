package io.imgstore.service.web;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report valve, answering problem+json instead of its HTML page: it writes the body
 * of errors Tomcat raises before (or outside) the servlet, e.g. a request URI it refuses to
 * normalize ({@code /stores/..%2f..}), an encoded slash, or a failure past Spring's error page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorReportValve.class);

    private final ProblemWriter problems;

    public ProblemErrorReportValve(ProblemWriter problems) {
        this.problems = problems;
        setShowReport(false);
        setShowServerInfo(false);
    }

    /** For Tomcat, which may instantiate the host's error valve by class name. */
    public ProblemErrorReportValve() {
        this(new ProblemWriter(null));
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        String detail = resolved == null ? "error" : resolved.is5xxServerError()
                ? "internal error; see the service log" : resolved.getReasonPhrase();
        try {
            problems.write(response.getResponse(), resolved == null
                    ? Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "error", detail)
                    : Problems.problem(resolved, Problems.typeFor(status), detail));
        } catch (IOException | IllegalStateException e) {
            LOG.debug("could not write the error body: {}", e.toString());
        }
    }

}
