package dev.modelfeedback.redis;

import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.join.PendingStoreContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared semantics of every pending store, on a real redis-server: each test in its own key prefix. */
final class RedisPendingStoreTest extends PendingStoreContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected PendingStore newStore(Duration ttl) {
        return RedisPendingStore.builder(redis.uri()).keyPrefix("contract" + PREFIXES.incrementAndGet() + ":")
                .ttl(ttl).expectedIds(100_000).build();
    }

    /** The background sweep returns at once; the contract wants expiry counted when it goes on. */
    @Override
    protected void sweep(PendingStore target, String namespace, long nowMillis) {
        ((RedisPendingStore) target).sweepNow(namespace, nowMillis);
    }

    /** Each operation is a round trip here: a tenth of the in-memory store's operations (and ids). */
    @Override
    protected int randomOperations() {
        return 20_000;
    }
}
