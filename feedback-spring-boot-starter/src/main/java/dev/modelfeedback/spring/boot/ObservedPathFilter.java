package dev.modelfeedback.spring.boot;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Tells Spring's observation of a request which path pattern served it, for a servlet outside
 * Spring MVC: without it, Spring Boot's {@code http.server.requests} metrics tag every request to
 * such a servlet {@code uri="UNKNOWN"}, because only Spring MVC's handler mappings set the pattern.
 * Map it to the servlet's path; it sets that path as the pattern.
 *
 * <pre>{@code
 * FilterRegistrationBean<ObservedPathFilter> filter = new FilterRegistrationBean<>(new ObservedPathFilter("/feedback"));
 * filter.addUrlPatterns("/feedback");
 * }</pre>
 *
 * <p>Where requests are not observed (no {@link ServerHttpObservationFilter} ran before it), it
 * does nothing. It allocates nothing per request. Thread-safe.
 */
public final class ObservedPathFilter implements Filter {

    private final String pathPattern;

    /**
     * @param pathPattern the pattern to report, the servlet's path such as {@code /feedback}
     */
    public ObservedPathFilter(String pathPattern) {
        this.pathPattern = Objects.requireNonNull(pathPattern, "pathPattern");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getAttribute(ServerHttpObservationFilter.CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE)
                instanceof ServerRequestObservationContext observation) {
            observation.setPathPattern(pathPattern);
        }
        chain.doFilter(request, response);
    }

    /** The pattern this filter reports. */
    public String pathPattern() {
        return pathPattern;
    }
}
