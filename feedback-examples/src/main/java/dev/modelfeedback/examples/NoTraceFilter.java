package dev.modelfeedback.examples;

import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.servlet.JsonResponse;
import dev.modelfeedback.servlet.RejectedRequestException;
import dev.modelfeedback.servlet.RejectionReason;
import dev.modelfeedback.servlet.RequestRefusals;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Refuses {@code TRACE} on every path with {@code 405} in the endpoints' JSON shape, and keeps
 * {@code TRACE} out of every {@code Allow} header (a servlet's default {@code OPTIONS} answer lists
 * it).
 *
 * <p>Why: a servlet's default {@code TRACE} answer echoes the request's headers, the
 * {@code Authorization} and {@code Cookie} headers included, into a response body, where a script
 * or a cache can read what it should never see (cross-site tracing). Nothing here needs
 * {@code TRACE}.
 *
 * <p>The {@code Allow} header of the 405 lists what the path answers; a refusal on a path whose
 * endpoint counts its refusals is counted there as {@code method_not_allowed}, as the endpoint
 * itself would count a {@code PUT}.
 *
 * <p>Thread-safe.
 */
final class NoTraceFilter implements Filter {

    /**
     * What one path answers.
     *
     * @param allow the methods it answers, for the {@code Allow} header
     * @param refusals where its refusals are counted, or {@code null} if nowhere
     */
    record Endpoint(String allow, @Nullable RequestRefusals refusals) {
        Endpoint {
            Objects.requireNonNull(allow, "allow");
            if (allow.toUpperCase(java.util.Locale.ROOT).contains("TRACE")) {
                throw new IllegalArgumentException("allow must not list TRACE, got " + Texts.quote(allow));
            }
        }
    }

    private final Map<String, Endpoint> endpoints;
    private final Endpoint otherPaths;

    /**
     * @param endpoints by servlet path, for example {@code /feedback}
     * @param otherPaths what every other path answers
     */
    NoTraceFilter(Map<String, Endpoint> endpoints, Endpoint otherPaths) {
        this.endpoints = Map.copyOf(endpoints);
        this.otherPaths = Objects.requireNonNull(otherPaths, "otherPaths");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
            chain.doFilter(request, response);
            return;
        }
        if (!http.getMethod().equals("TRACE")) {
            chain.doFilter(request, new WithoutTraceInAllow(answer));
            return;
        }
        Endpoint endpoint = endpoints.getOrDefault(http.getServletPath(), otherPaths);
        RejectedRequestException refused = new RejectedRequestException(RejectionReason.METHOD_NOT_ALLOWED,
                "method 'TRACE' is not allowed; use " + endpoint.allow());
        JsonResponse refusal = endpoint.refusals() != null ? endpoint.refusals().refuse(refused)
                : JsonResponse.error(refused.reason(), refused.getMessage());
        if (http.getContentLengthLong() != 0 || http.getHeader("Transfer-Encoding") != null) {
            // A TRACE must not have a body; one that has is not read, and the connection ends.
            answer.setHeader("Connection", "close");
        }
        refusal.writeTo(answer, "TRACE", endpoint.allow());
    }

    /** The methods of an {@code Allow} value without {@code TRACE}. */
    static String withoutTrace(String allow) {
        return Arrays.stream(allow.split(",")).map(String::strip)
                .filter(method -> !method.isEmpty() && !method.equalsIgnoreCase("TRACE"))
                .collect(Collectors.joining(", "));
    }

    /** A response whose {@code Allow} header never lists {@code TRACE}, whoever sets it. */
    private static final class WithoutTraceInAllow extends HttpServletResponseWrapper {

        WithoutTraceInAllow(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setHeader(String name, @Nullable String value) {
            super.setHeader(name, value != null && name.equalsIgnoreCase("Allow") ? withoutTrace(value) : value);
        }

        @Override
        public void addHeader(String name, @Nullable String value) {
            super.addHeader(name, value != null && name.equalsIgnoreCase("Allow") ? withoutTrace(value) : value);
        }
    }
}
