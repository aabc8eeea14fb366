package dev.modelfeedback.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request's body as the handler reads it, and what to do with the rest of it when the request is
 * refused before its end.
 *
 * <p>Why the rest matters: a server that answers without reading a body and then closes the
 * connection leaves the client's unsent bytes arriving at a closed socket. The kernel answers them
 * with a TCP reset, and a reset that reaches the client before it has read the answer destroys the
 * answer: the client sees no response at all ("header parser received no bytes") instead of the
 * 413 or 400 that says what was wrong. So before a refusal is written, {@link #discardRest()} reads
 * and drops what is left, up to {@value #MAX_DISCARD_BYTES} bytes (the bound Tomcat's
 * {@code maxSwallowSize} sets by default); the connection then stays usable. A larger rest, or a
 * body the client has not started sending because it waits for {@code 100 Continue}, is not read:
 * the answer then carries {@code Connection: close}.
 *
 * <pre>{@code
 * RequestBody body = RequestBody.of(request);
 * JsonResponse answer = handler.post(request.getContentType(), request.getContentLengthLong(), body);
 * if (answer.rejection() != null && !body.discardRest()) {
 *     response.setHeader("Connection", "close");
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one request's body, read by the thread that serves it. Never closes the
 * container's stream.
 */
public final class RequestBody extends FilterInputStream {

    /** The most bytes of a refused body read and dropped so that the client can read the answer. */
    public static final long MAX_DISCARD_BYTES = 2L * 1024 * 1024;

    private final long declaredLength;
    private final boolean expectsContinue;
    private long read;
    private boolean ended;

    private RequestBody(InputStream in, long declaredLength, boolean expectsContinue) {
        super(in);
        this.declaredLength = declaredLength;
        this.expectsContinue = expectsContinue;
    }

    /**
     * The body of a request.
     *
     * @param request the request
     * @return its body, not read yet
     * @throws IOException if the container cannot open it
     */
    public static RequestBody of(HttpServletRequest request) throws IOException {
        String expect = request.getHeader("Expect");
        return new RequestBody(request.getInputStream(), request.getContentLengthLong(),
                expect != null && expect.trim().equalsIgnoreCase("100-continue"));
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            ended = true;
        } else {
            read++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            ended = true;
        } else {
            read += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        read += skipped;
        return skipped;
    }

    @Override
    public void close() {
        // The container owns the request stream.
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * Reads and drops what is left of the body, if that is at most {@value #MAX_DISCARD_BYTES}
     * bytes and the client is sending it.
     *
     * @return whether the body was read to its end, so that the connection can carry another
     *     request; if not, answer with {@code Connection: close}
     */
    public boolean discardRest() {
        if (ended || (declaredLength >= 0 && read >= declaredLength)) {
            return true;
        }
        if (read == 0 && expectsContinue) {
            // The client waits for 100 Continue before it sends: reading now would ask for the body.
            return false;
        }
        if (declaredLength >= 0 && declaredLength - read > MAX_DISCARD_BYTES) {
            return false;
        }
        byte[] buffer = new byte[8192];
        long discarded = 0;
        try {
            while (discarded <= MAX_DISCARD_BYTES) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    ended = true;
                    return true;
                }
                discarded += n;
            }
        } catch (IOException e) {
            // The client went away or the body is broken: there is no connection left to keep.
            return false;
        }
        return false;
    }
}
