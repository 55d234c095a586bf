package io.imgstore.service.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replaces Tomcat's HTML error report valve (and the one Spring Boot configures) by
 * {@link ProblemErrorReportValve}, so errors Tomcat answers itself are problem+json too.
 */
@Configuration(proxyBeanMethods = false)
public class ProblemErrorValveConfig {

    /** Runs after Spring Boot's own Tomcat customizer (order 0), which adds its error report valve. */
    @Bean
    WebServerFactoryCustomizer<TomcatWebServerFactory> problemErrorValve(ObjectProvider<JsonMapper> json) {
        return new WebServerFactoryCustomizer<>() {
            @Override
            public void customize(TomcatWebServerFactory factory) {
                ProblemWriter writer = new ProblemWriter(json.getIfAvailable());
                factory.addContextCustomizers(context -> {
                    if (context.getParent() instanceof StandardHost host) {
                        for (Valve v : host.getPipeline().getValves()) {
                            if (v instanceof ErrorReportValve) {
                                host.getPipeline().removeValve(v);
                            }
                        }
                        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                        host.getPipeline().addValve(new ProblemErrorReportValve(writer));
                    }
                });
            }
        };
    }
}
