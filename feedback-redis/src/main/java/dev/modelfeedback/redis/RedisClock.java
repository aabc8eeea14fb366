package dev.modelfeedback.redis;

/**
 * This process's estimate of Redis's clock, from the time every script reports: Redis time minus
 * the local monotonic time at the middle of the round trip, to within half the round trip. It
 * lets a script refuse to run when it starts after the caller stopped waiting for it, so that a
 * call that timed out was not applied behind the caller's back.
 *
 * <p>Thread-safe: a sample is one immutable object.
 */
final class RedisClock {

    /** A sample is replaced by a less precise one only when it is this old. */
    private static final long FRESH_NANOS = 1_000_000_000L;

    private record Sample(long offsetMillis, long errorMillis, long takenAtNanos) {
    }

    private volatile Sample sample;

    /**
     * Takes a sample: Redis read its clock between {@code sentNanos} and {@code receivedNanos}.
     *
     * @param redisSeconds what Redis's {@code TIME} said, seconds
     * @param redisMicros and microseconds
     */
    void sample(long sentNanos, long receivedNanos, long redisSeconds, long redisMicros) {
        long redisMillis = redisSeconds * 1000 + redisMicros / 1000;
        long middleMillis = (sentNanos + (receivedNanos - sentNanos) / 2) / 1_000_000;
        long error = (receivedNanos - sentNanos) / 2_000_000 + 1;
        Sample held = sample;
        if (held == null || error <= held.errorMillis || receivedNanos - held.takenAtNanos > FRESH_NANOS) {
            sample = new Sample(redisMillis - middleMillis, error, receivedNanos);
        }
    }

    /**
     * Redis's time at the local monotonic time {@code localNanos}, late by the estimate's error
     * (so that no estimate refuses a script that started in time), or 0 while nothing is known.
     */
    long redisMillisAt(long localNanos) {
        Sample held = sample;
        return held == null ? 0 : localNanos / 1_000_000 + held.offsetMillis + held.errorMillis;
    }
}
