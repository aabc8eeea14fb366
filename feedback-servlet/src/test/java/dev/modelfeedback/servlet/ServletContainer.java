package dev.modelfeedback.servlet;

import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.Map;

/** A real embedded servlet container, started on a port the OS picks, for contract tests. */
interface ServletContainer extends AutoCloseable {

    /**
     * Starts the container with {@code servlet} mapped at {@code /feedback}.
     *
     * @param contextAttributes ServletContext attributes to set before the servlet starts
     * @param initParameters the servlet's init parameters
     * @return the base URI, for example {@code http://127.0.0.1:41234/}
     */
    URI start(HttpServlet servlet, Map<String, Object> contextAttributes, Map<String, String> initParameters)
            throws Exception;

    default URI start(HttpServlet servlet) throws Exception {
        return start(servlet, Map.of(), Map.of());
    }

    /** Stops the container; failures are rethrown unchecked. */
    @Override
    void close();
}
