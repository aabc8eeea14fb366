package dev.modelfeedback.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.FeedbackBatch;
import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.join.JoinCounts;
import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.join.LabelDelay;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.matrix.ConfusionMatrix;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.scores.ScoreTally;
import dev.modelfeedback.core.scores.Scores;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recorders of two replicas on one Redis, as a model server uses them: their clocks' ticks sweep in
 * the background, and {@code feedback_unmatched_total{reason="expired"}} counts each expired
 * prediction once across the replicas, while {@code feedback_pending_predictions} shows the total;
 * a prediction's scores stored through one replica are counted by the one that joins it.
 */
final class RedisRecorderTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The labels of a model of 32 classes. */
    private static final List<String> WIDE = IntStream.range(0, 32).mapToObj(i -> "c" + i).toList();

    private RedisServer redis;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        resources.add(redis);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private final class Replica {
        final MeterRegistry registry = new SimpleMeterRegistry();
        final ManualWindowClock clock = WindowClock.manual(T0);
        final ModelSet models;
        final RedisPendingStore store;

        Replica() {
            this(false);
        }

        /** A replica of model fraud@v3, or of wide@v1 with 32 classes. */
        Replica(boolean wide) {
            store = RedisPendingStore.builder(redis.uri()).ttl(Duration.ofMinutes(10)).build();
            resources.add(store);
            ModelSet.Builder builder = ModelSet.builder(registry).eachModel(recorder -> recorder.clock(clock));
            models = (wide ? builder.model("wide", "v1").classes("wide", WIDE) : builder.model("fraud", "v3"))
                    .pendingStore(store).build();
        }

        double expired() {
            return registry.get("feedback.unmatched").tag("reason", "expired").counter().count();
        }

        double pendingGauge() {
            return registry.get("feedback.pending.predictions").tag("scope", "shared").gauge().value();
        }
    }

    /**
     * Waits for the background sweeps, ticking the replicas' clocks a second at a time as time
     * would pass (a tick that comes while a sweep still runs starts none).
     */
    private static void tickUntil(BooleanSupplier condition, Replica... replicas) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("still waiting after 15 s").isNegative();
            Thread.sleep(10);
            for (Replica replica : replicas) {
                replica.clock.advance(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void expiredPredictionsAreCountedOnceAcrossReplicasByTheirTicks() throws InterruptedException {
        Replica a = new Replica();
        Replica b = new Replica();
        FeedbackBatch predictions = new FeedbackBatch();
        for (int i = 0; i < 3000; i++) {
            predictions.addPrediction(a.models.recorder("fraud"), "p-" + i, i % 2);
        }
        predictions.commit();
        assertThat(b.models.recorder("fraud").recordActual("p-0", 1)).isEqualTo(JoinOutcome.MATCHED);
        // each replica's gauge shows the count Redis gave its last call; its next tick refreshes it
        assertThat(b.pendingGauge()).isEqualTo(2999);
        assertThat(a.pendingGauge()).isEqualTo(3000);
        tickUntil(() -> a.pendingGauge() == 2999, a);

        a.clock.advance(Duration.ofMinutes(10));
        b.clock.advance(Duration.ofMinutes(10));
        tickUntil(() -> a.expired() + b.expired() == 2999, a, b);
        tickUntil(() -> a.pendingGauge() == 0 && b.pendingGauge() == 0, a, b);
        // Sweeps after the count is complete find nothing more: each replica sweeps once more itself,
        // a minute later (still within the 20 minutes its ids are remembered), and waits for it (Redis runs the scripts one at a time, and a replica's
        // sweep still running in the background answers on the same connection first).
        a.clock.advance(Duration.ofMinutes(1));
        b.clock.advance(Duration.ofMinutes(1));
        assertThat(a.store.sweepNow("fraud@v3", a.clock.millis())).isZero();
        assertThat(b.store.sweepNow("fraud@v3", b.clock.millis())).isZero();

        assertThat(a.expired() + b.expired()).isEqualTo(2999);
        assertThat(b.models.recorder("fraud").recordActual("p-1", 1)).isEqualTo(JoinOutcome.EXPIRED);
        assertThat(a.models.recorder("fraud").joins().pending()).isZero();
        assertThat(b.models.recorder("fraud").snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 0, 1));
        assertThat(a.models.recorder("fraud").joins()).isEqualTo(new JoinCounts(0, 0, (long) a.expired(), 0,
                LabelDelay.NONE));
        // b joined p-0 in the second it was predicted
        assertThat(b.models.recorder("fraud").joins().labelDelay().count()).isEqualTo(1);
    }

    /** Every pair of the 32 classes, predicted through one replica and joined through the other. */
    @Test
    void aModelOfThirtyTwoClassesJoinsEveryPairAcrossReplicas() {
        Replica a = new Replica(true);
        Replica b = new Replica(true);
        FeedbackRecorder predicting = a.models.recorder("wide");
        FeedbackRecorder joining = b.models.recorder("wide");
        FeedbackBatch predictions = new FeedbackBatch();
        for (int pair = 0; pair < 32 * 32; pair++) {
            predictions.addPrediction(predicting, "id-" + pair, pair / 32);
        }
        predictions.commit();
        for (int pair = 0; pair < 32 * 32; pair++) {
            assertThat(predicting.recordPrediction("id-" + pair, WIDE.get((pair / 32 + 1) % 32))).as("pair %d", pair)
                    .isEqualTo(JoinOutcome.CONFLICT);
            assertThat(joining.recordActual("id-" + pair, WIDE.get(pair % 32))).isEqualTo(JoinOutcome.MATCHED);
            assertThat(predicting.recordActual("id-" + pair, pair % 32)).isEqualTo(JoinOutcome.DUPLICATE);
            assertThat(predicting.recordActual("id-" + pair, (pair + 1) % 32)).isEqualTo(JoinOutcome.CONFLICT);
        }

        ConfusionMatrix m = joining.matrix();
        for (int p = 0; p < 32; p++) {
            for (int actual = 0; actual < 32; actual++) {
                assertThat(m.count(actual, p)).as("actual %d, predicted %d", actual, p).isEqualTo(1);
            }
        }
        assertThat(predicting.matrix().total()).isZero();
        assertThat(joining.joins().labelDelay().count()).isEqualTo(32 * 32);
        assertThat(joining.joins().pending()).isZero();
    }

    /**
     * Predictions with their scores stored through one replica, joined through the other: the
     * joining replica counts each with the scores it was stored with, exactly as counting them
     * inline would; a retry with other scores conflicts, with the same ones it is a duplicate.
     */
    @Test
    void scoresStoredThroughOneReplicaAreCountedByTheReplicaThatJoins() {
        Replica a = new Replica();
        Replica b = new Replica();
        FeedbackRecorder predicting = a.models.recorder("fraud");
        FeedbackRecorder joining = b.models.recorder("fraud");
        ScoreTally expected = ScoreTally.ofBinary();
        SplittableRandom random = new SplittableRandom(7);
        int count = 500;
        double[] score = new double[count];
        int[] actual = new int[count];
        for (int i = 0; i < count; i++) {
            score[i] = random.nextDouble();
            actual[i] = random.nextInt(2);
            assertThat(predicting.recordPrediction("s-" + i, score[i] >= 0.5 ? 1 : 0, score[i]))
                    .isEqualTo(JoinOutcome.PENDING);
        }
        for (int i = 0; i < count; i++) {
            String id = "s-" + i;
            int prediction = score[i] >= 0.5 ? 1 : 0;
            assertThat(joining.recordPrediction(id, prediction, Math.nextUp(score[i]))).as(id).isEqualTo(JoinOutcome.CONFLICT);
            assertThat(joining.recordPrediction(id, prediction, Scores.binary(score[i]))).as(id)
                    .isEqualTo(JoinOutcome.DUPLICATE);
            assertThat(joining.recordActual(id, actual[i])).as(id).isEqualTo(JoinOutcome.MATCHED);
            expected.add(actual[i], score[i]);
        }

        ScoreCounts counts = joining.scores();
        ScoreCounts reference = expected.counts();
        assertThat(counts.n()).isEqualTo(count);
        assertThat(counts.rocAuc()).isEqualTo(reference.rocAuc());
        assertThat(counts.averagePrecision()).isEqualTo(reference.averagePrecision());
        assertThat(counts.logLoss()).isEqualTo(reference.logLoss()); // one thread: the same order of sums
        assertThat(counts.brier()).isEqualTo(reference.brier());
        assertThat(predicting.scores().n()).isZero();
        assertThat(joining.matrix().total()).isEqualTo(count);
    }
}
