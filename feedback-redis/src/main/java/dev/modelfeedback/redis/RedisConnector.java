package dev.modelfeedback.redis;

import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One connection to Redis, shared by every thread (Lettuce multiplexes it), opened in the
 * background and reopened by itself.
 *
 * <ul>
 *   <li>Until the first connection succeeds, a call waits for the attempt in progress (within its
 *       deadline); after a failed attempt, calls fail at once for {@link #RETRY_NANOS}, then one
 *       starts the next attempt.
 *   <li>Once connected, Lettuce reconnects by itself, 50 ms to 1 s apart. While it is disconnected,
 *       commands are refused at once (never queued to run later, when their caller has given up), and
 *       commands in flight when the connection broke fail and are not sent again.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class RedisConnector implements AutoCloseable {

    /** How long after a failed first connection the next attempt may start. */
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** How often an attempt that closed during the handshake without a reason is made again at once. */
    static final int SILENT_CLOSE_RETRIES = 2;

    private final RedisLocation location;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final Object lock = new Object();
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private @Nullable CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connecting;
    private long retryAtNanos;
    private @Nullable Throwable lastFailure;
    private boolean closed;

    RedisConnector(RedisLocation location, @Nullable String username, char @Nullable [] password,
            Duration commandTimeout, Duration connectTimeout) {
        this.location = location;
        RedisURI.Builder uriBuilder = RedisURI.builder().withHost(location.host()).withPort(location.port())
                .withDatabase(location.database()).withSsl(location.tls()).withTimeout(commandTimeout)
                .withClientName("model-feedback");
        if (password != null) {
            if (username != null) {
                uriBuilder.withAuthentication(username, password);
            } else {
                uriBuilder.withPassword(password);
            }
        }
        this.uri = uriBuilder.build();
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> true)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).tcpNoDelay(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        synchronized (lock) {
            startConnecting();
        }
    }

    /**
     * The commands of the connection, waiting until {@code deadlineNanos} for a first connection
     * in progress.
     *
     * @throws PendingStoreUnavailableException if there is no connection by then
     */
    RedisAsyncCommands<byte[], byte[]> commands(long deadlineNanos, Duration timeout) {
        StatefulRedisConnection<byte[], byte[]> open = connection;
        if (open != null) {
            return open.async();
        }
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> attempt = attempt();
        try {
            return attempt.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS).async();
        } catch (TimeoutException e) {
            throw Failures.timedOut(location, timeout);
        } catch (ExecutionException e) {
            throw unreachable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PendingStoreUnavailableException("interrupted while connecting to Redis at " + location, e);
        }
    }

    /**
     * The commands of the connection if there is one, without waiting: {@code null} while a first
     * connection is being opened; otherwise starts connecting if it may.
     *
     * @throws PendingStoreUnavailableException if the last attempt to connect failed
     */
    @Nullable RedisAsyncCommands<byte[], byte[]> commandsNow() {
        StatefulRedisConnection<byte[], byte[]> open = connection;
        if (open != null) {
            return open.async();
        }
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> attempt = attempt();
        if (!attempt.isDone()) {
            return null;
        }
        try {
            return attempt.join().async();
        } catch (CompletionException | CancellationException e) {
            throw unreachable(e);
        }
    }

    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> attempt() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the Redis pending store was closed");
            }
            StatefulRedisConnection<byte[], byte[]> open = connection;
            if (open != null) {
                return CompletableFuture.completedFuture(open);
            }
            if (connecting == null) {
                if (System.nanoTime() - retryAtNanos < 0) {
                    throw unreachable(lastFailure);
                }
                startConnecting();
            }
            return connecting;
        }
    }

    /** Starts a connection attempt; guarded by {@link #lock}. */
    private void startConnecting() {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> attempt = new CompletableFuture<>();
        connect(attempt, SILENT_CLOSE_RETRIES);
        connecting = attempt;
        attempt.whenComplete((opened, failure) -> {
            boolean closeIt = false;
            synchronized (lock) {
                connecting = null;
                if (failure == null) {
                    if (closed) {
                        closeIt = true;
                    } else {
                        connection = opened;
                    }
                } else {
                    lastFailure = Failures.unwrap(failure);
                    retryAtNanos = System.nanoTime() + RETRY_NANOS;
                }
            }
            if (closeIt) {
                opened.closeAsync();
            }
        });
    }

    /**
     * Connects once, and again at once (up to {@code retries} times) if the connection closed during
     * Lettuce's handshake without a reason. When the server refuses the handshake (WRONGPASS,
     * NOAUTH), Lettuce closes the channel and only then fails the attempt with the server's reply;
     * if the channel's inactivity is handled first, which depends on thread timing, the attempt
     * fails with "Connection closed prematurely" instead, and the operator would never learn that
     * the password is wrong. Trying again soon gives the server's own reason.
     */
    private void connect(CompletableFuture<StatefulRedisConnection<byte[], byte[]>> attempt, int retries) {
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).whenComplete((opened, failure) -> {
            if (failure == null) {
                attempt.complete(opened);
            } else if (retries > 0 && closedWithoutReason(failure) && !isClosed()) {
                connect(attempt, retries - 1);
            } else {
                attempt.completeExceptionally(failure);
            }
        });
    }

    /** Whether a failed attempt says only that the connection closed during the handshake. */
    private static boolean closedWithoutReason(Throwable failure) {
        Throwable root = Failures.unwrap(failure);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof RedisConnectionException && "Connection closed prematurely".equals(root.getMessage());
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private PendingStoreUnavailableException unreachable(@Nullable Throwable cause) {
        if (cause == null) {
            return new PendingStoreUnavailableException("cannot connect to Redis at " + location);
        }
        Throwable reason = Failures.unwrap(cause);
        Throwable root = reason;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Lettuce says "Unable to connect to host:port"; the root says why (refused, NOAUTH, WRONGPASS).
        String why = root == reason ? String.valueOf(reason.getMessage())
                : reason.getMessage() + " (" + root.getMessage() + ")";
        return new PendingStoreUnavailableException("cannot connect to Redis at " + location + ": " + why, reason);
    }

    /** Whether a connection is open now. */
    boolean isConnected() {
        StatefulRedisConnection<byte[], byte[]> open = connection;
        return open != null && open.isOpen();
    }

    /** Closes the connection and frees the client's threads; waits for them at most a few seconds. */
    @Override
    public void close() {
        StatefulRedisConnection<byte[], byte[]> open;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            open = connection;
            connection = null;
        }
        try {
            if (open != null) {
                open.close();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
