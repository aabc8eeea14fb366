package dev.modelfeedback.servlet.auth;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A real embedded servlet container, on a port the OS picks, with servlets and one filter in front
 * of {@code /feedback}; every servlet and the filter are async-supported.
 */
interface FilteredContainer extends AutoCloseable {

    /**
     * The filter in front of {@code /feedback}.
     *
     * @param instance the filter, or {@code null} to have the container create a {@link BearerTokenFilter}
     *     with its no-arg constructor, as {@code web.xml} does
     * @param initParameters the filter's init parameters
     */
    record FilterSpec(@Nullable Filter instance, Map<String, String> initParameters) {
        static FilterSpec of(Filter filter) {
            return new FilterSpec(filter, Map.of());
        }

        static FilterSpec declared(Map<String, String> initParameters) {
            return new FilterSpec(null, initParameters);
        }
    }

    /**
     * Starts the container.
     *
     * @param servlets by path, for example {@code /feedback}
     * @param filter the filter mapped to {@code /feedback}
     * @param contextAttributes ServletContext attributes set before anything starts
     * @return the base URI, for example {@code http://127.0.0.1:41234/}
     */
    URI start(Map<String, HttpServlet> servlets, FilterSpec filter, Map<String, Object> contextAttributes)
            throws Exception;

    /** Stops the container; failures are rethrown unchecked. */
    @Override
    void close();
}
