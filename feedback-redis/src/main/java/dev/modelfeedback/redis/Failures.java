package dev.modelfeedback.redis;

import dev.modelfeedback.core.join.PendingStoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sorts what can go wrong with Redis into the two kinds callers handle: the store is unavailable
 * ({@link PendingStoreUnavailableException}: down, unreachable, too slow, loading, out of memory,
 * a read-only replica; the request may be sent again) or misused ({@link IllegalStateException}:
 * a key of the prefix holds other data, a script failed; sending again does not help).
 */
final class Failures {

    /** Error replies that say Redis cannot serve now, not that the request is wrong. */
    private static final List<String> TRANSIENT = List.of("OOM", "BUSY", "LOADING", "READONLY", "MASTERDOWN",
            "NOREPLICAS", "TRYAGAIN", "CLUSTERDOWN", "NOAUTH", "WRONGPASS", "NOPERM", "MISCONF", "UNBLOCKED");

    /** Lettuce's words for a command it refused to send. */
    private static final List<String> NOT_SENT = List.of("Currently not connected", "Connection is closed",
            "Request queue size exceeded", "Command buffer size exceeded");

    private Failures() {
    }

    /** The failure itself, without the wrappers of futures. */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * What to throw for a failed call to Redis.
     *
     * @param failure what the client reported
     * @param where the server, for the message
     * @param prefix the key prefix, for the message
     */
    static RuntimeException translate(Throwable failure, RedisLocation where, String prefix) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PendingStoreUnavailableException unavailable) {
            return unavailable;
        }
        if (cause instanceof RedisCommandExecutionException reply && !(cause instanceof RedisCommandTimeoutException)) {
            String text = String.valueOf(reply.getMessage());
            if (text.startsWith("WRONGTYPE")) {
                return new IllegalStateException("a key under the prefix '" + prefix + "' on " + where
                        + " holds another kind of value: is the prefix shared with other data? " + text, cause);
            }
            if (TRANSIENT.stream().noneMatch(text::startsWith)) {
                return new IllegalStateException("Redis at " + where + " refused a script of the pending store: " + text,
                        cause);
            }
            if (text.startsWith("OOM")) {
                return new PendingStoreUnavailableException("Redis at " + where + " is full (maxmemory reached):"
                        + " new predictions cannot be stored until ids past their horizon are forgotten or"
                        + " maxmemory is raised; " + text, cause);
            }
            return new PendingStoreUnavailableException("Redis at " + where + " cannot serve now: " + text, cause);
        }
        if (cause instanceof CancellationException) {
            return new PendingStoreUnavailableException("the call to Redis at " + where + " was cancelled", cause);
        }
        String why = cause instanceof RedisException && cause.getMessage() != null ? cause.getMessage() : cause.toString();
        return new PendingStoreUnavailableException("Redis at " + where + " is unavailable: " + why, cause);
    }

    /**
     * Whether a call that failed so may have run in Redis: not when Redis answered an error (it
     * refused the script, or the script did not start), nor when the client refused to send it;
     * otherwise (a timeout, a connection broken while it was in flight) it may have.
     */
    static boolean mayHaveRun(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RedisCommandTimeoutException) {
            return true;
        }
        if (cause instanceof RedisCommandExecutionException || cause instanceof PendingStoreUnavailableException) {
            return false;
        }
        String text = cause.getMessage();
        return !(cause instanceof RedisException && text != null && NOT_SENT.stream().anyMatch(text::startsWith));
    }

    /** The call waited as long as it may. */
    static PendingStoreUnavailableException timedOut(RedisLocation where, Duration timeout) {
        return new PendingStoreUnavailableException("Redis at " + where + " did not answer within the command timeout of "
                + timeout.toMillis() + " ms");
    }
}
