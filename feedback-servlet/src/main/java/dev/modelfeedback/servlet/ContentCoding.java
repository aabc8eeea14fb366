package dev.modelfeedback.servlet;

import dev.modelfeedback.core.model.Texts;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The codings a request body was sent with, and their decoding: {@code gzip} (and its alias
 * {@code x-gzip}) is decoded, {@code identity} is nothing, anything else is refused with 415, so a
 * compressed body is never read as if it were JSON. The codings are those of {@code
 * Content-Encoding} followed by the transfer codings the container left in place (all but {@code
 * chunked}), in the order the client applied them; they are undone in the reverse order.
 *
 * <pre>{@code
 * List<String> codings = ContentCoding.of(request);     // e.g. [gzip]
 * reader.read(contentType, contentLength, codings, body, parser);
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class ContentCoding {

    /** The codings a body may be sent with, for the {@code Accept-Encoding} header of an answer. */
    public static final String ACCEPTED = "gzip";

    private ContentCoding() {
    }

    /**
     * The codings applied to a request's body, lower-cased, without {@code identity} and
     * {@code chunked}.
     *
     * @param request the request
     * @return the codings in the order they were applied; empty if the body is sent as is
     */
    public static List<String> of(HttpServletRequest request) {
        List<String> codings = new ArrayList<>(1);
        add(codings, request.getHeaders("Content-Encoding"));
        add(codings, request.getHeaders("Transfer-Encoding"));
        return codings.isEmpty() ? List.of() : List.copyOf(codings);
    }

    private static void add(List<String> codings, java.util.@Nullable Enumeration<String> headers) {
        if (headers == null) {
            return;
        }
        for (String header : Collections.list(headers)) {
            for (String coding : header.split(",")) {
                String name = coding.trim().toLowerCase(Locale.ROOT);
                int parameters = name.indexOf(';');
                if (parameters >= 0) {
                    name = name.substring(0, parameters).trim();
                }
                if (!name.isEmpty() && !name.equals("identity") && !name.equals("chunked")) {
                    codings.add(name);
                }
            }
        }
    }

    /**
     * Checks that every coding can be undone.
     *
     * @param codings the body's codings, as {@link #of} gives them
     * @throws RejectedRequestException 415 naming the first coding that is not {@code gzip}
     */
    static void requireSupported(List<String> codings) throws RejectedRequestException {
        for (String coding : codings) {
            if (!isGzip(coding)) {
                throw new RejectedRequestException(RejectionReason.UNSUPPORTED_MEDIA_TYPE,
                        "body coding " + Texts.quote(coding) + " is not supported; send the body as is or as gzip");
            }
        }
    }

    /**
     * The decoded body, decoded as it is read: no byte is read here, so that reading fails (and
     * is refused) where the caller reads.
     *
     * @param codings supported codings, as {@link #requireSupported} checked them
     * @param body the body as it arrived
     * @return the body as the client wrote it before coding it
     */
    static InputStream decode(List<String> codings, InputStream body) {
        InputStream decoded = body;
        for (int i = codings.size() - 1; i >= 0; i--) {
            decoded = new LazyGzip(decoded);
        }
        return decoded;
    }

    private static boolean isGzip(String coding) {
        return coding.equals("gzip") || coding.equals("x-gzip");
    }

    /** A gzip stream opened on first read, since opening one reads the header. */
    private static final class LazyGzip extends FilterInputStream {

        private @Nullable GZIPInputStream gzip;

        LazyGzip(InputStream in) {
            super(in);
        }

        private InputStream open() throws IOException {
            if (gzip == null) {
                gzip = new GZIPInputStream(in, 8192);
            }
            return gzip;
        }

        @Override
        public int read() throws IOException {
            return open().read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return open().read(buffer, offset, length);
        }

        @Override
        public long skip(long n) throws IOException {
            return open().skip(n);
        }

        @Override
        public int available() throws IOException {
            return gzip == null ? 0 : gzip.available();
        }

        @Override
        public void close() {
            // The container owns the request stream.
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
