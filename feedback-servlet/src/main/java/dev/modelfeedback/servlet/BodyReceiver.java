package dev.modelfeedback.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Receives a request's body and then answers the request, so that a slow client cannot exhaust the
 * server: while the client sends, no thread waits for it.
 *
 * <p>Why: a servlet that reads its body with blocking reads holds one of the container's threads
 * for as long as the client takes to send it. A few hundred clients that send their headers and
 * then one byte every few seconds hold every thread (the container's idle timeout restarts with
 * every byte), and every endpoint of the server, {@code /metrics} included, stops answering. So
 * the body is read with non-blocking reads ({@link ReadListener}): the container calls back when
 * bytes arrive, and a waiting client holds a connection and a buffer of what it sent, not a
 * thread. The whole body must arrive within a deadline (the request's {@link AsyncContext}
 * timeout, {@link FeedbackLimits#bodyTimeout()}); a client that takes longer gets {@code 408}
 * with {@code Connection: close}, counted as {@link RejectionReason#BODY_TIMEOUT}. Only once the
 * body is complete does the handler run, on a container thread. A small body (at most
 * {@value #CHUNK} bytes, of a declared length) that arrived whole with its headers, as most single
 * items do, is read at once instead: the container already holds every byte, so no read can block,
 * and the asynchronous cycle would cost more than the request.
 *
 * <p>Bounds: at most {@code maxBodyBytes + 1} bytes are kept (one more tells the handler that the
 * body is too large). A body whose declared length is already too large is refused from its
 * headers. The rest of a refused body, up to {@value #MAX_DISCARD_BYTES} bytes, is read and dropped
 * before the answer is written: a server that answers and closes while the client still sends
 * makes the kernel reset the connection, and a reset that reaches the client before it has read
 * the answer destroys the answer ("header parser received no bytes" instead of the 413 that says
 * what was wrong). A larger rest, or a body the client has not started sending because it waits for
 * {@code 100 Continue}, is not read: the answer then carries {@code Connection: close}.
 *
 * <p>The servlet must be registered as async-supported, as Spring Boot registers servlets by
 * default ({@code ServletHolder.setAsyncSupported(true)} on Jetty, {@code Wrapper.setAsyncSupported(true)}
 * on Tomcat, {@code <async-supported>true</async-supported>} in {@code web.xml}), and so must every
 * filter before it. Where it is not, the body is read with blocking reads, without the deadline, and
 * a warning says so once.
 *
 * <pre>{@code
 * BodyReceiver receiver = new BodyReceiver(FeedbackLimits.DEFAULT, refusals, "POST, OPTIONS");
 * receiver.receive(request, response, body -> handler.post(contentType, contentLength, body));
 * }</pre>
 *
 * <p>Thread-safe: each call keeps its own state.
 */
public final class BodyReceiver {

    /** The most bytes of a refused body read and dropped so that the client can read the answer. */
    public static final long MAX_DISCARD_BYTES = 2L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(BodyReceiver.class.getName());
    static final int CHUNK = 8192;

    /** Answers a request from its complete body. */
    @FunctionalInterface
    public interface Handler {

        /**
         * @param body the body as received: at most {@code maxBodyBytes + 1} bytes (one more means
         *     it is larger than the limit); empty if its declared length was already too large; a
         *     stream that fails after what arrived if the body could not be read to its end
         * @return the answer
         */
        JsonResponse handle(InputStream body);
    }

    private final long maxBodyBytes;
    private final Duration timeout;
    private final RequestRefusals refusals;
    private final String allowedMethods;
    private final AtomicBoolean warnedBlocking = new AtomicBoolean();

    /**
     * @param limits the largest body kept and the deadline for receiving it
     * @param refusals where a body that arrives too late, and a handler's failure, are counted
     * @param allowedMethods the endpoint's methods, for the {@code Allow} header of a 405
     */
    public BodyReceiver(FeedbackLimits limits, RequestRefusals refusals, String allowedMethods) {
        Objects.requireNonNull(limits, "limits");
        this.maxBodyBytes = limits.maxBodyBytes();
        this.timeout = limits.bodyTimeout();
        this.refusals = Objects.requireNonNull(refusals, "refusals");
        this.allowedMethods = Objects.requireNonNull(allowedMethods, "allowedMethods");
    }

    /**
     * Receives the body of {@code request}, then writes the handler's answer to {@code response}.
     * Returns at once where the request can go asynchronous; the answer is written when the body
     * is complete, on a container thread.
     *
     * @param request the request, not read yet
     * @param response its response, not written yet
     * @param handler answers from the complete body
     * @throws IOException if the container cannot open the body or write the answer
     */
    public void receive(HttpServletRequest request, HttpServletResponse response, Handler handler) throws IOException {
        Reception reception = new Reception(request, response, handler);
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            // Refused from its headers; the client may still be sending what it declared.
            JsonResponse answer = reception.handle(InputStream.nullInputStream());
            boolean drain = !expectsContinue(request) && declared <= MAX_DISCARD_BYTES;
            if (!drain) {
                // Opened, not read: Jetty otherwise holds the answer to a client that waits for
                // "100 Continue" (tested with the JDK's client, which then never sees it).
                request.getInputStream();
                reception.write(answer, true);
            } else if (request.isAsyncSupported()) {
                reception.startAsync(answer);
            } else {
                reception.write(answer, !reception.readBlocking());
            }
            return;
        }
        boolean async = request.isAsyncSupported();
        if (!async && warnedBlocking.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "the servlet at " + request.getServletPath() + " is not registered as"
                    + " async-supported (or a filter before it is not): request bodies are read with blocking"
                    + " reads, without a deadline, so slow clients can hold every thread; register it with"
                    + " asyncSupported=true");
        }
        if (declared >= 0 && declared <= CHUNK && !expectsContinue(request)
                && request.getInputStream().available() >= declared) {
            // The whole (small) body arrived with the headers: read it at once, which cannot block,
            // instead of going asynchronous for bytes already here.
            boolean ended = reception.readBlocking();
            reception.write(reception.handle(reception.intake.body()), !ended);
        } else if (async) {
            reception.startAsync(null);
        } else {
            boolean ended = reception.readBlocking();
            JsonResponse answer = reception.handle(reception.intake.body());
            reception.write(answer, !ended);
        }
    }

    private static boolean expectsContinue(HttpServletRequest request) {
        String expect = request.getHeader("Expect");
        return expect != null && expect.trim().equalsIgnoreCase("100-continue");
    }

    /** One request's reception: the bytes kept, the rest dropped, and who answers first. */
    private final class Reception implements ReadListener, AsyncListener {

        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final Handler handler;
        private final Intake intake;
        private final AtomicBoolean answered = new AtomicBoolean();
        /** Where reads land: the size of a small declared body (and one more byte), else {@value #CHUNK}. */
        private final byte[] chunk;
        private AsyncContext async;
        /** The answer decided before the body was read (a refusal from the headers), or null. */
        private JsonResponse decided;

        Reception(HttpServletRequest request, HttpServletResponse response, Handler handler) {
            this.request = request;
            this.response = response;
            this.handler = handler;
            long declared = request.getContentLengthLong();
            this.intake = new Intake(maxBodyBytes, declared);
            this.chunk = new byte[declared >= 0 && declared < CHUNK ? (int) declared + 1 : CHUNK];
        }

        void startAsync(JsonResponse decidedAnswer) throws IOException {
            this.decided = decidedAnswer;
            async = request.startAsync();
            async.setTimeout(timeout.toMillis());
            async.addListener(this);
            request.getInputStream().setReadListener(this);
        }

        /** Reads the body to its end or until too much was dropped; whether it ended. */
        boolean readBlocking() {
            try {
                InputStream in = request.getInputStream();
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    intake.accept(chunk, n);
                    if (intake.droppedTooMuch()) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                intake.failed();
                return false;
            }
        }

        @Override
        public void onDataAvailable() throws IOException {
            ServletInputStream in = request.getInputStream();
            while (!answered.get() && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    return; // onAllDataRead follows
                }
                intake.accept(chunk, n);
                if (intake.droppedTooMuch()) {
                    finish(false);
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            finish(true);
        }

        @Override
        public void onError(Throwable failure) {
            intake.failed();
            finish(false);
        }

        /**
         * The deadline passed. Synchronized with {@link #finish}: a body that completed just before
         * is being handled and will be answered from what the handler did; a 408 then would claim
         * that nothing was counted while the handler counted it.
         */
        @Override
        public synchronized void onTimeout(AsyncEvent event) {
            if (answered.get()) {
                return;
            }
            JsonResponse late = refusals.refuse(new RejectedRequestException(RejectionReason.BODY_TIMEOUT,
                    "the request body did not arrive within " + describe(timeout) + "; nothing was counted"));
            write(late, true);
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public synchronized void onError(AsyncEvent event) {
            if (answered.compareAndSet(false, true)) {
                // The container gave up on the request (the client went away): nothing to answer.
                async.complete();
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        /** The body is complete, failed or too large: answers, unless the deadline already did. */
        private synchronized void finish(boolean ended) {
            if (answered.get()) {
                return;
            }
            JsonResponse answer = decided != null ? decided : handle(intake.body());
            write(answer, !ended);
        }

        JsonResponse handle(InputStream body) {
            try {
                return handler.handle(body);
            } catch (RuntimeException e) {
                // A fault of ours must not reach the container, whose error page may show a stack trace.
                return refusals.serverError(request.getMethod() + " " + request.getServletPath() + " failed", e);
            }
        }

        /** Writes the answer once; later calls (a deadline racing the last byte) do nothing. */
        void write(JsonResponse answer, boolean closeConnection) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            try {
                if (closeConnection) {
                    response.setHeader("Connection", "close");
                }
                answer.writeTo(response, request.getMethod(), allowedMethods);
            } catch (IOException e) {
                // The client went away before its answer: nothing left to tell it.
                LOG.log(Level.DEBUG, () -> "answer not written: " + e);
            } finally {
                if (async != null) {
                    async.complete();
                }
            }
        }
    }

    private static String describe(Duration timeout) {
        long millis = timeout.toMillis();
        if (millis % 1000 == 0) {
            long seconds = millis / 1000;
            return seconds + (seconds == 1 ? " second" : " seconds");
        }
        return millis + " ms";
    }

    /** The bytes kept of one body (at most the limit and one more) and the count of those dropped. */
    static final class Intake {

        private final long keep;
        private byte[] kept;
        private int size;
        private long dropped;
        private boolean failed;

        /**
         * @param maxBodyBytes the limit
         * @param declaredLength the {@code Content-Length}, -1 if none; above the limit, nothing is
         *     kept (the body is refused from its headers and only drained)
         */
        Intake(long maxBodyBytes, long declaredLength) {
            this.keep = declaredLength > maxBodyBytes ? 0 : maxBodyBytes + 1;
            // Grown as bytes arrive, never ahead of them: a slow client costs what it sent.
            long first = declaredLength >= 0 ? Math.min(declaredLength + 1, keep) : CHUNK;
            this.kept = new byte[(int) Math.min(first, CHUNK)];
        }

        void accept(byte[] chunk, int n) {
            int room = (int) Math.min(n, keep - size);
            if (room > 0) {
                if (size + room > kept.length) {
                    kept = Arrays.copyOf(kept, (int) Math.min(keep, Math.max(size + room, 2L * kept.length)));
                }
                System.arraycopy(chunk, 0, kept, size, room);
                size += room;
            }
            dropped += n - room;
        }

        boolean droppedTooMuch() {
            return dropped > MAX_DISCARD_BYTES;
        }

        void failed() {
            failed = true;
        }

        /** What arrived; a stream that fails after it if the body could not be read to its end. */
        InputStream body() {
            InputStream arrived = new ByteArrayInputStream(kept, 0, size);
            if (!failed) {
                return arrived;
            }
            InputStream broken = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("the request body could not be read to its end");
                }
            };
            return new SequenceInputStream(arrived, broken);
        }
    }
}
