package io.imgstore.service.security;

import io.imgstore.service.viewer.ViewerProperties;
import io.imgstore.service.web.ProblemWriter;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.builders.WebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may do what, as one Spring Security filter chain (see docs/security.md): the strict
 * firewall first (rejects {@code ;}, encoded slashes, dots and letters, {@code //}, {@code ..}),
 * then bearer tokens, then authorization rules on the decoded path the router sees, for plain
 * HTTP and WebSocket handshakes alike. Stateless: no session, no CSRF (bearer tokens, no cookies),
 * no login forms. Also a {@link WebSecurityCustomizer}, so {@code @WebMvcTest} slices load it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfig implements WebSecurityCustomizer {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfig.class);

    private final SecurityProperties props;
    private final LegacyWriteAccess ingest;
    private final String singleStore;
    private final ProblemWriter writer;
    private final SecurityProblems problems;

    public SecurityConfig(SecurityProperties props, ObjectProvider<LegacyWriteAccess> ingest,
            ObjectProvider<ViewerProperties> viewer, ObjectProvider<JsonMapper> json) {
        this.props = props;
        this.ingest = ingest.getIfAvailable(() -> LegacyWriteAccess.NONE);
        ViewerProperties v = viewer.getIfAvailable();
        this.singleStore = v == null ? null : v.singleStore();
        this.writer = new ProblemWriter(json.getIfAvailable());
        this.problems = new SecurityProblems(writer);
    }

    @Override
    public void customize(WebSecurity web) {
        web.httpFirewall(new StrictFirewall()).requestRejectedHandler(problems);
    }

    @Bean
    AccessTokens accessTokens() {
        AccessTokens tokens = AccessTokens.of(props.tokens(), ingest.token());
        if (!tokens.any() && !readOnly()) {
            LOG.warn("no bearer token configured (imgstore.security.tokens.*): writes are UNAUTHENTICATED; "
                    + "see docs/security.md");
        } else if (tokens.any()) {
            LOG.info("bearer tokens: {}", tokens.names());
        }
        return tokens;
    }

    /** No users and passwords here (also keeps Spring Boot from generating a password). */
    @Bean
    AuthenticationManager noPasswordLogin() {
        return authentication -> {
            throw new ProviderNotFoundException("bearer tokens only");
        };
    }

    private boolean readOnly() {
        return props.readOnly() || ingest.readOnly();
    }

    @Bean
    SecurityFilterChain imgstoreSecurity(HttpSecurity http, AccessTokens tokens) throws Exception {
        StoreAccessRules rules = new StoreAccessRules(tokens, readOnly(), props.protectReads() || ingest.protectReads(),
                singleStore, props.allowedOrigins());
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        http.csrf(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .requestCache(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new AcceptHeaderFilter(writer), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new BearerTokenFilter(tokens, problems), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> {
                    a.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    if (singleStore != null) {
                        a.requestMatchers(rules.otherStores()).access(rules.notFound());
                    }
                    a.requestMatchers(path.matcher("/stores/{id}/ingest/**"))
                            .access(StoreAccessRules.all(rules.sameOrAllowedOrigin(), rules.write()));
                    a.requestMatchers(HttpMethod.OPTIONS, "/**").permitAll();
                    // the bulk read by a list of numbers in a POST body is a read, not a write
                    a.requestMatchers(StoreAccessRules.bulkReadByPost()).access(rules.read());
                    for (HttpMethod m : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
                            HttpMethod.DELETE}) {
                        a.requestMatchers(path.matcher(m, "/stores/**")).access(rules.write());
                    }
                    a.requestMatchers(path.matcher("/stores/{id}/live/**"))
                            .access(StoreAccessRules.all(rules.sameOrAllowedOrigin(), rules.read()));
                    a.requestMatchers(path.matcher("/stores/**")).access(rules.read());
                    // the meters (store ids in tags, request counts) are reads: behind the read token when
                    // reads are protected; health and info stay public (Docker's health check has no token)
                    a.requestMatchers(path.matcher("/actuator/prometheus"), path.matcher("/actuator/metrics/**"))
                            .access(rules.read());
                    // alignment reads several stores named in the query: reads, and not in single-store view
                    a.requestMatchers(path.matcher("/align"), path.matcher("/align/**"))
                            .access(singleStore != null ? rules.notFound() : rules.read());
                    a.anyRequest().permitAll();
                });
        return http.build();
    }
}
