package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.join.PendingStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The builder's checks, the URI rules, the bucket sizing and the id digest: no Redis needed. */
final class RedisSettingsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "redis://localhost                | redis://localhost:6379/0",
        "redis://localhost:6380           | redis://localhost:6380/0",
        "redis://10.0.0.7:6379/3          | redis://10.0.0.7:6379/3",
        "redis://redis.internal:6379/     | redis://redis.internal:6379/0",
        "rediss://redis.internal:6380/1   | rediss://redis.internal:6380/1",
        "redis://[::1]:6379/2             | redis://[::1]:6379/2",
    })
    void acceptsRedisUris(String uri, String parsed) {
        assertThat(RedisLocation.parse(uri)).hasToString(parsed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://localhost:6379            | the Redis URI must start with redis:// (or rediss:// for TLS), got 'http://localhost:6379'",
        "localhost:6379                   | the Redis URI must start with redis:// (or rediss:// for TLS), got 'localhost:6379'",
        "redis://:secret@localhost:6379   | the Redis URI must not hold a user or password (they would show in logs and process lists); give the password to password(...), for example from an environment variable, got a URI with user information for host localhost",
        "redis://localhost:6379/x         | the Redis database must be a number, as in redis://HOST:PORT/0, got 'x' in 'redis://localhost:6379/x'",
        "redis://localhost:6379/0?ssl=1   | the Redis URI takes no query or fragment, got 'redis://localhost:6379/0?ssl=1'",
        "redis:///0                       | the Redis URI must name a host, as in redis://HOST:PORT/DB, got 'redis:///0'",
    })
    void refusesOtherUrisNamingTheProblem(String uri, String message) {
        assertThatThrownBy(() -> RedisPendingStore.builder(uri)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void checksEverySetting() {
        RedisPendingStore.Builder builder = RedisPendingStore.builder("redis://localhost:6379/0");

        assertThatThrownBy(() -> builder.ttl(Duration.ofMillis(1500)))
                .hasMessage("ttl must be whole seconds from 1s to 365 days, got PT1.5S");
        assertThatThrownBy(() -> builder.ttl(Duration.ofDays(366)))
                .hasMessage("ttl must be whole seconds from 1s to 365 days, got PT8784H");
        assertThatThrownBy(() -> builder.commandTimeout(Duration.ofMillis(5)))
                .hasMessage("commandTimeout must be from 10 ms to 60 s, got PT0.005S");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ofMinutes(2)))
                .hasMessage("connectTimeout must be from 10 ms to 60 s, got PT2M");
        assertThatThrownBy(() -> builder.keyPrefix("has space:"))
                .hasMessage("keyPrefix must be 1 to 64 printable ASCII characters without spaces, got 'has space:'");
        assertThatThrownBy(() -> builder.keyPrefix(""))
                .hasMessage("keyPrefix must be 1 to 64 printable ASCII characters without spaces, got ''");
        assertThatThrownBy(() -> builder.expectedIds(0)).hasMessage("expectedIds must be between 1 and 2^40, got 0");
        assertThatThrownBy(() -> builder.capacity(0)).hasMessage("capacity must be between 1 and 2^40, got 0");
        assertThatThrownBy(() -> builder.capacity((1L << 40) + 1))
                .hasMessage("capacity must be between 1 and 2^40, got 1099511627777");
        assertThatThrownBy(() -> builder.username("")).hasMessage("username must not be empty; pass null for the default user");
    }

    @Test
    void theDefaultsAreThoseDocumented() {
        RedisPendingStore store = RedisPendingStore.builder("redis://127.0.0.1:1/0").build();
        try {
            assertThat(store.keyPrefix()).isEqualTo("mf:");
            assertThat(store.ttl()).isEqualTo(Duration.ofHours(24));
            assertThat(store.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(store.capacity()).isEqualTo(1_000_000).isEqualTo(PendingStore.DEFAULT_CAPACITY);
            assertThat(store.location()).isEqualTo("redis://127.0.0.1:1/0");
            assertThat(store).hasToString(
                    "RedisPendingStore[redis://127.0.0.1:1/0, prefix 'mf:', capacity=1000000 per namespace, ttl=PT24H]");
            // no server there: nothing waits, nothing throws
            assertThat(store.pending("fraud@v3")).isZero();
            store.sweep("fraud@v3", 0);
        } finally {
            store.close();
        }
    }

    @ParameterizedTest(name = "{0} ids: {1} bits")
    @CsvSource({"1, 0", "128, 0", "129, 1", "100000, 10", "1000000, 13", "10000000, 17", "1099511627776, 24"})
    void sizesBucketsForAbout128IdsEach(long ids, int bits) {
        assertThat(RedisPendingStore.bucketBits(ids)).isEqualTo(bits);
    }

    @Test
    void theDigestIsTheFirstTenBytesOfMurmurHash3() {
        // MurmurHash3_x64_128, seed 0: h1 and h2 of "hello" are cbd8a7b341bd9b02 and 5b1e906a48ae1d19; of
        // "0123456789abcdef0123" (a whole block and a tail), 8047058142d9440a and 8e8d677aff9a9087.
        assertThat(HexFormat.of().formatHex(IdDigest.of("hello"))).isEqualTo("cbd8a7b341bd9b025b1e");
        assertThat(HexFormat.of().formatHex(IdDigest.of("0123456789abcdef0123"))).isEqualTo("8047058142d9440a8e8d");
        Set<String> digests = new HashSet<>();
        for (String id : new String[] {"a", "b", "aa", "0123456789abcdef", "0123456789abcdeg", "0123456789abcde",
            "0123456789abcdef0", "x".repeat(128)}) {
            assertThat(digests.add(HexFormat.of().formatHex(IdDigest.of(id)))).as(id).isTrue();
        }
    }
}
