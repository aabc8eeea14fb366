package dev.modelfeedback.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A TCP relay between the store and a real {@code redis-server}, for the failures that happen
 * between them: replies held back (a replica that stalls after Redis ran its script), requests held
 * back (a request that reaches Redis late), connections cut, and a latency on every reply (Redis
 * on another host), so that a stall of the store's process catches operations in flight. Every
 * byte is Redis's own; the relay only delays or drops it.
 *
 * <pre>{@code
 * try (RedisRelay relay = RedisRelay.to(redis)) {
 *     RedisPendingStore store = RedisPendingStore.builder(relay.uri()).build();
 *     relay.holdReplies();
 *     ...
 *     relay.releaseReplies();
 * }
 * }</pre>
 *
 * <p>Thread-safe: the test's thread drives it while its own threads pump the bytes.
 */
public final class RedisRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final ByteArrayOutputStream requests = new ByteArrayOutputStream();
    private boolean repliesHeld;
    private volatile long latencyNanos;
    private volatile boolean closed;

    private RedisRelay(ServerSocket server, int target) {
        this.server = server;
        this.target = target;
        Thread accept = new Thread(this::accept, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** A relay to {@code redis}, listening on a free port of 127.0.0.1. */
    public static RedisRelay to(RedisServer redis) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            return new RedisRelay(server, redis.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URI to give the store instead of Redis's. */
    public String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort() + "/0";
    }

    /**
     * Every reply from now on reaches the store {@code latency} after Redis sent it, in order.
     *
     * @param latency 0 for none
     */
    public void replyLatency(Duration latency) {
        latencyNanos = latency.toNanos();
    }

    /** From now on, Redis's replies wait in the relay until {@link #releaseReplies}; requests still pass. */
    void holdReplies() {
        synchronized (lock) {
            repliesHeld = true;
        }
    }

    /** Lets the held replies, and every later one, through. */
    void releaseReplies() {
        synchronized (lock) {
            repliesHeld = false;
            lock.notifyAll();
        }
    }

    /** From now on, requests on the connections open now wait in the relay; new connections pass. */
    void holdRequestsOfOpenConnections() {
        for (Link link : links) {
            link.holdRequests();
        }
    }

    /**
     * Closes the store's side of every connection open now, as a broken network would. Redis's side
     * stays open, with whatever requests the relay holds for it.
     */
    void cutOpenConnections() {
        for (Link link : links) {
            link.cutClient();
        }
    }

    /** Sends the held requests to Redis, late, on the connections they came by. */
    void releaseRequests() {
        for (Link link : links) {
            link.releaseRequests();
        }
    }

    /** How often {@code text} occurs in what the store has sent so far (held requests too). */
    int requestsContaining(String text) {
        String sent;
        synchronized (requests) {
            sent = requests.toString(StandardCharsets.ISO_8859_1);
        }
        int count = 0;
        for (int at = sent.indexOf(text); at >= 0; at = sent.indexOf(text, at + text.length())) {
            count++;
        }
        return count;
    }

    /** Waits until the condition holds; fails after {@code limit}. */
    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("still waiting after " + limit.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** Stops relaying and closes every connection. */
    @Override
    public void close() {
        closed = true;
        releaseReplies();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Link link : links) {
            link.close();
        }
    }

    /** One connection: the store's socket, Redis's socket and a pump each way. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private final BlockingQueue<Chunk> replies = new LinkedBlockingQueue<>();
        private boolean holding;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            Thread requests = new Thread(this::pumpRequests, "relay-requests");
            Thread replies = new Thread(this::readReplies, "relay-replies");
            Thread deliver = new Thread(this::deliverReplies, "relay-deliver");
            requests.setDaemon(true);
            replies.setDaemon(true);
            deliver.setDaemon(true);
            requests.start();
            replies.start();
            deliver.start();
        }

        private void pumpRequests() {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = client.getInputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (RedisRelay.this.requests) {
                        RedisRelay.this.requests.write(buffer, 0, n);
                    }
                    synchronized (this) {
                        if (holding) {
                            held.write(buffer, 0, n);
                            continue;
                        }
                        upstream.getOutputStream().write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // the store's side closed or was cut
            }
            synchronized (this) {
                if (!holding) {
                    closeQuietly(upstream);
                }
            }
        }

        /** Reads Redis's replies as they come, each marked with when it may reach the store. */
        private void readReplies() {
            try {
                InputStream in = upstream.getInputStream();
                byte[] buffer = new byte[16 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    replies.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + latencyNanos));
                }
            } catch (IOException e) {
                // either side closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            replies.add(Chunk.END);
        }

        /** Passes the replies on, once due and not held. */
        private void deliverReplies() {
            try {
                OutputStream out = client.getOutputStream();
                for (Chunk chunk = replies.take(); chunk != Chunk.END; chunk = replies.take()) {
                    for (long wait = chunk.due() - System.nanoTime(); wait > 0; wait = chunk.due() - System.nanoTime()) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    synchronized (lock) {
                        while (repliesHeld) {
                            lock.wait();
                        }
                    }
                    out.write(chunk.bytes());
                }
            } catch (IOException e) {
                // the store's side closed or was cut
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(client);
        }

        synchronized void holdRequests() {
            holding = true;
        }

        void cutClient() {
            closeQuietly(client);
        }

        synchronized void releaseRequests() {
            if (!holding) {
                return;
            }
            holding = false;
            try {
                upstream.getOutputStream().write(held.toByteArray());
                upstream.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException("Redis's side of a relayed connection closed", e);
            }
            held.reset();
            if (client.isClosed()) {
                // the store's side is gone: let Redis answer what it was sent, then close
                Thread drain = new Thread(() -> {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    closeQuietly(upstream);
                }, "relay-drain");
                drain.setDaemon(true);
                drain.start();
            }
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Bytes Redis sent, and when they may reach the store. */
    private record Chunk(byte[] bytes, long due) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
