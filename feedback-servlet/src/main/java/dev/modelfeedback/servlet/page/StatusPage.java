package dev.modelfeedback.servlet.page;

import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.servlet.JsonResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The status page a browser gets from {@code GET /feedback}: one static HTML document whose script
 * polls the same endpoint's JSON and draws every model, and the page's assets (its script and
 * style, and the uPlot charting library from its WebJar), all served from the jar, so that the
 * page makes no request to any other host.
 *
 * <p>Assets are addressed by query, {@code ?asset=status.js}, so that they work under whatever
 * path the servlet is mapped to. The page is sent with a strict {@code Content-Security-Policy}
 * (scripts, styles and requests from this origin only, no inline script), {@code nosniff} and no
 * caching; assets carry an {@code ETag} and are revalidated.
 *
 * <p>Immutable and thread-safe; the resources are read once, when it is built.
 */
public final class StatusPage {

    /** The page's security policy: nothing but this origin's scripts, styles, images and JSON. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String PAGE_RESOURCES = "/dev/modelfeedback/servlet/page/";
    private static final String UPLOT_PROPERTIES = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final Asset page;
    private final Map<String, Asset> assets;

    /** A resource served as is: its bytes, type and entity tag. */
    private record Asset(byte[] body, String contentType, String etag) {

        static Asset load(String resource, String contentType) {
            byte[] body = read(resource);
            return new Asset(body, contentType, "\"" + sha256(body).substring(0, 20) + "\"");
        }
    }

    /**
     * Reads the page and its assets from the classpath.
     *
     * @throws IllegalStateException if one is missing from the classpath (a broken build)
     */
    public StatusPage() {
        String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        this.page = Asset.load(PAGE_RESOURCES + "status.html", "text/html;charset=UTF-8");
        this.assets = Map.of(
                "status.js", Asset.load(PAGE_RESOURCES + "status.js", "text/javascript;charset=UTF-8"),
                "status.css", Asset.load(PAGE_RESOURCES + "status.css", "text/css;charset=UTF-8"),
                "uPlot.js", Asset.load(uplot + "uPlot.iife.min.js", "text/javascript;charset=UTF-8"),
                "uPlot.css", Asset.load(uplot + "uPlot.min.css", "text/css;charset=UTF-8"));
    }

    /**
     * Writes the page.
     *
     * @param response the servlet response, not yet committed
     * @param method {@code GET} or {@code HEAD}
     * @throws IOException if the client went away
     */
    public void writePage(HttpServletResponse response, String method) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Vary", "Accept");
        write(page, response, method);
    }

    /**
     * Writes an asset, {@code 304} if the client's copy is current, or a JSON {@code 404} naming
     * the asset asked for if there is none of that name.
     *
     * @param name the {@code asset} query parameter
     * @param ifNoneMatch the request's {@code If-None-Match} header, or {@code null}
     * @param response the servlet response, not yet committed
     * @param method {@code GET} or {@code HEAD}
     * @throws IOException if the client went away
     */
    public void writeAsset(String name, @Nullable String ifNoneMatch, HttpServletResponse response, String method)
            throws IOException {
        Asset asset = assets.get(name);
        if (asset == null) {
            JsonResponse.of(404, JsonResponse.errorBody("no asset " + Texts.quote(name)
                    + "; the status page's assets are " + String.join(", ", assets.keySet().stream().sorted().toList())))
                    .writeTo(response, method, "GET, HEAD");
            return;
        }
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", asset.etag());
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        write(asset, response, method);
    }

    private static void write(Asset asset, HttpServletResponse response, String method) throws IOException {
        response.setContentType(asset.contentType());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(asset.body().length);
        if (!method.equals("HEAD")) {
            response.getOutputStream().write(asset.body());
        }
    }

    private static String uplotVersion() {
        Properties properties = new Properties();
        try (InputStream in = StatusPage.class.getResourceAsStream(UPLOT_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] read(String resource) {
        try (InputStream in = StatusPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the status page's resource " + resource + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "StatusPage" + assets.keySet().stream().sorted().toList();
    }
}
