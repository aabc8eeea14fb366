package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.join.JoinOutcome;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.scores.ScoreLayout;
import dev.modelfeedback.core.scores.ScoreTally;
import dev.modelfeedback.core.scores.Scores;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Scored feedback through the recorder: counted, windowed, batched and published. */
final class RecorderScoresTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private List<String> samples(String prefix) {
        return registry.scrape().lines().filter(l -> l.startsWith(prefix)).toList();
    }

    private double sample(String line) {
        return registry.scrape().lines().filter(l -> l.startsWith(line + " ")).map(l -> Double.parseDouble(l.substring(line.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + line));
    }

    @Test
    void scoredFeedbackIsCountedAsTheItemsDefineIt() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        ScoreTally expected = ScoreTally.ofBinary();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 5_000; i++) {
            int actual = random.nextInt(2);
            double score = Math.min(1, Math.max(0, actual * 0.3 + random.nextDouble() * 0.7));
            int prediction = score >= 0.5 ? 1 : 0;
            recorder.record(prediction, actual, score);
            expected.add(actual, score);
            recorder.record(prediction, actual); // unscored items count in the matrix only
        }
        ScoreCounts counts = recorder.scores();

        assertThat(counts.n()).isEqualTo(5_000);
        assertThat(recorder.matrix().total()).isEqualTo(10_000);
        ScoreCounts reference = expected.counts();
        assertThat(counts.rocAuc()).isEqualTo(reference.rocAuc());
        assertThat(counts.averagePrecision()).isEqualTo(reference.averagePrecision());
        assertThat(counts.rocAucInterval()).isEqualTo(reference.rocAucInterval());
        assertThat(counts.logLoss()).isEqualTo(reference.logLoss()); // one thread: one stripe, the same order
        assertThat(counts.brier()).isEqualTo(reference.brier());
        assertThat(counts.calibrationError()).isEqualTo(reference.calibrationError());
    }

    @Test
    void aModelWithoutScoresHasNoScoreSeriesUntilItsFirstScoredItem() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        recorder.record(1, 1);
        assertThat(samples("model_score_buckets_total")).isEmpty();
        assertThat(samples("model_roc_auc")).isEmpty();

        recorder.record(1, 1, 0.9);
        recorder.record(0, 0, 0.2);
        recorder.record(1, 0, 0.6);

        String tags = "model=\"fraud\",model_version=\"v3\"";
        assertThat(samples("model_score_buckets_total")).hasSize(2 * ScoreLayout.BUCKETS);
        assertThat(sample("model_score_buckets_total{actual=\"1\",le=\"+Inf\"," + tags + "}")).isEqualTo(1.0);
        assertThat(sample("model_score_buckets_total{actual=\"0\",le=\"+Inf\"," + tags + "}")).isEqualTo(2.0);
        assertThat(sample("model_score_buckets_total{actual=\"0\",le=\"0.5\"," + tags + "}")).isEqualTo(1.0);
        assertThat(sample("model_scored_total{" + tags + "}")).isEqualTo(3.0);
        assertThat(sample("model_log_loss_sum_total{" + tags + "}"))
                .isEqualTo(-Math.log(0.9) - Math.log(0.8) - Math.log(1 - 0.6));
        assertThat(sample("model_brier_score_sum_total{" + tags + "}")).isEqualTo(recorder.scores().brierSum());
        assertThat(sample("model_calibration_items_total{bin=\"0.6-0.7\"," + tags + "}")).isEqualTo(1.0);
        assertThat(sample("model_calibration_positives_total{bin=\"0.9-1.0\"," + tags + "}")).isEqualTo(1.0);
        assertThat(sample("model_calibration_score_sum_total{bin=\"0.2-0.3\"," + tags + "}")).isEqualTo(0.2);
        assertThat(sample("model_roc_auc{" + tags + "}")).isEqualTo(1.0);
        assertThat(sample("model_log_loss{" + tags + "}")).isEqualTo(recorder.scores().logLoss());
        assertThat(sample("model_brier_score{" + tags + "}")).isEqualTo(recorder.scores().brier());
        assertThat(sample("model_calibration_error{" + tags + "}")).isEqualTo(recorder.scores().calibrationError());
        assertThat(sample("model_average_precision{" + tags + "}")).isEqualTo(1.0);
        // cumulative, as a classic histogram's buckets
        List<Double> negatives = samples("model_score_buckets_total{actual=\"0\"").stream()
                .sorted(java.util.Comparator.comparingDouble(l -> {
                    String le = l.replaceAll(".*le=\"([^\"]*)\".*", "$1");
                    return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                }))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toList();
        assertThat(negatives).isSorted().endsWith(2.0).contains(0.0, 1.0);

        recorder.unregister();
        assertThat(samples("model_")).isEmpty();
    }

    @Test
    void aRecorderUnregisteredBeforeItsFirstScoreRegistersNoScoreMeters() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        recorder.unregister();
        recorder.record(1, 1, 0.9);
        assertThat(registry.getMeters()).isEmpty();
        assertThat(recorder.scores().n()).isEqualTo(1);
    }

    @Test
    void badScoresAreRefusedAndCountNothing() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        for (double bad : new double[] {-0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> recorder.record(1, 1, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("score must be a probability from 0 to 1, got " + bad);
        }
        assertThatThrownBy(() -> recorder.record(1, 1, Scores.ofClasses(0.5, 0.5)))
                .hasMessage("model fraud@v3 is binary: its score is one number, the probability of 1, got Scores[0.5, 0.5]");
        assertThatThrownBy(() -> recorder.record(2, 1, 0.5)).hasMessage("prediction must be 0 or 1, got 2");
        assertThat(recorder.matrix().total()).isZero();
        assertThat(recorder.scores().n()).isZero();
        assertThat(samples("model_scored_total")).isEmpty();
    }

    @Test
    void aModelWithClassesTakesOneProbabilityPerClassByLabel() {
        FeedbackRecorder intent = FeedbackRecorder.builder(registry).model("intent", "v2")
                .classes("billing", "tech", "sales").build();
        intent.record("billing", "billing", intent.scores(Map.of("billing", 0.7, "tech", 0.2, "sales", 0.1)));
        intent.record("tech", "billing", intent.scores(Map.of("billing", 0.3, "tech", 0.6, "sales", 0.1)));
        intent.record(2, 2, Scores.ofClasses(0.1, 0.1, 0.8));

        ScoreCounts counts = intent.scores();
        assertThat(counts.n()).isEqualTo(3);
        assertThat(counts.rocAuc(0)).isEqualTo(1.0);  // billing: 0.7, 0.3 above 0.1
        assertThat(counts.rocAuc(2)).isEqualTo(1.0);
        assertThat(counts.rocAuc(1)).isNaN();          // tech never the actual class
        // Brier: (0.09 + 0.04 + 0.01) + (0.49 + 0.36 + 0.01) + (0.01 + 0.01 + 0.04)
        assertThat(counts.brier()).isEqualTo(((0.3 * 0.3 + 0.2 * 0.2 + 0.1 * 0.1) + (0.7 * 0.7 + 0.6 * 0.6 + 0.1 * 0.1)
                + (0.1 * 0.1 + 0.1 * 0.1 + 0.2 * 0.2)) / 3, org.assertj.core.data.Offset.offset(1e-15));
        String tags = "model=\"intent\",model_version=\"v2\"";
        assertThat(sample("model_class_score_buckets_total{class=\"billing\",le=\"+Inf\"," + tags + ",positive=\"true\"}"))
                .isEqualTo(2.0);
        assertThat(sample("model_class_roc_auc{class=\"billing\"," + tags + "}")).isEqualTo(1.0);
        assertThat(sample("model_roc_auc{" + tags + "}")).isEqualTo(1.0);

        assertThatThrownBy(() -> intent.scores(Map.of("billing", 0.7, "tech", 0.3)))
                .hasMessage("scores must give every class of model intent@v2 a probability; 'sales' has none");
        assertThatThrownBy(() -> intent.scores(Map.of("billing", 0.7, "tech", 0.2, "refund", 0.1)))
                .hasMessage("scores: 'refund' is not a class of model intent@v2");
        assertThatThrownBy(() -> intent.scores(Map.of("billing", 0.7, "tech", 0.2, "sales", 0.2)))
                .hasMessageStartingWith("scores must sum to 1 (within 1.0E-6), got 1.09");
        assertThatThrownBy(() -> intent.record(0, 0, 0.5)).isInstanceOf(IllegalStateException.class)
                .hasMessage("model intent@v2 declares 3 classes: give one probability per class");
        assertThatThrownBy(() -> intent.record(0, 0, Scores.ofClasses(0.5, 0.5)))
                .hasMessage("model intent@v2 declares 3 classes: its scores are 3 probabilities, got Scores[0.5, 0.5]");
        assertThat(intent.scores().n()).isEqualTo(3);
    }

    @Test
    void windowsAndStatusCarryTheirScores() {
        var clock = WindowClock.manual(Instant.parse("2026-01-01T00:00:00Z"));
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).clock(clock).build();
        recorder.record(1, 1, 0.9);
        clock.advance(Duration.ofMinutes(10));
        recorder.record(0, 0, 0.4);
        recorder.record(1, 0, 0.6);

        ModelStatus status = recorder.status();
        assertThat(status.scores().n()).isEqualTo(3);
        assertThat(status.windows().get(0).scores().n()).isEqualTo(2); // 5 minutes
        assertThat(status.windows().get(0).scores().rocAuc()).isNaN();  // no positive in it
        assertThat(status.windows().get(1).scores().n()).isEqualTo(3); // 1 hour
        assertThat(status.windows().get(1).scores().rocAuc()).isEqualTo(1.0);
    }

    @Test
    void aScoreStoredWithItsPredictionIsCountedWhenTheActualArrivesAsTheReadmeShows() {
        FeedbackRecorder fraud = FeedbackRecorder.builder(registry).model("fraud", "v3").build();
        fraud.record(1, 1, 0.91);
        fraud.record(1, 0, 0.62);
        fraud.record(0, 0, 0.08);
        fraud.record(0, 1, 0.35);
        assertThat(fraud.recordPrediction("tx-42", 1, 0.77)).isEqualTo(JoinOutcome.PENDING);
        assertThat(fraud.scores().n()).isEqualTo(4);
        assertThat(fraud.recordPrediction("tx-42", 1, 0.78)).isEqualTo(JoinOutcome.CONFLICT); // another score
        assertThat(fraud.recordPrediction("tx-42", 1, 0.77)).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(fraud.recordActual("tx-42", 1)).isEqualTo(JoinOutcome.MATCHED);

        ScoreCounts s = fraud.scores();
        assertThat(String.format(java.util.Locale.ROOT,
                "n=%d auc=%.3f [%.3f, %.3f] ap=%.3f log_loss=%.3f brier=%.3f ece=%.3f", s.n(), s.rocAuc(),
                s.rocAucInterval().lower(), s.rocAucInterval().upper(), s.averagePrecision(), s.logLoss(), s.brier(),
                s.calibrationError()))
                .isEqualTo("n=5 auc=0.833 [0.371, 1.000] ap=0.916 log_loss=0.491 brier=0.175 ece=0.334");
        assertThat(s.logLoss()).isEqualTo((-Math.log(0.91) - Math.log(1 - 0.62) - Math.log(1 - 0.08) - Math.log(0.35)
                - Math.log(0.77)) / 5, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void inlineFeedbackByIdKeepsItsScoresAndARetryWithOthersConflicts() {
        FeedbackRecorder intent = FeedbackRecorder.builder(registry).model("intent", "v2").classes("a", "b", "c").build();
        Scores scores = Scores.ofClasses(0.6, 0.3, 0.1);
        assertThat(intent.record("t-1", 0, 1, scores)).isEqualTo(JoinOutcome.MATCHED);
        assertThat(intent.record("t-1", 0, 1, scores)).isEqualTo(JoinOutcome.DUPLICATE);
        assertThat(intent.record("t-1", 0, 1, Scores.ofClasses(0.5, 0.4, 0.1))).isEqualTo(JoinOutcome.CONFLICT);
        assertThat(intent.record("t-1", 0, 1, (Scores) null)).isEqualTo(JoinOutcome.CONFLICT);
        assertThat(intent.scores().n()).isEqualTo(1);
        assertThat(intent.scores().logLoss()).isEqualTo(-Math.log(0.3));
    }

    @Test
    void aBatchCountsItsScoredItemsAllAtOnce() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).build();
        FeedbackBatch batch = new FeedbackBatch()
                .add(recorder, 1, 1, Scores.binary(0.8))
                .add(recorder, 0, 1)
                .add(recorder, 0, 0, Scores.binary(0.3));
        assertThat(recorder.scores().n()).isZero();
        assertThatThrownBy(() -> batch.add(recorder, 1, 1, Scores.ofClasses(0.2, 0.8)))
                .isInstanceOf(IllegalArgumentException.class);
        batch.commit();

        assertThat(recorder.matrix().total()).isEqualTo(3);
        assertThat(recorder.scores().n()).isEqualTo(2);
        assertThat(recorder.scores().logLoss()).isEqualTo((-Math.log(0.8) - Math.log(1 - 0.3)) / 2);
        assertThat(samples("model_scored_total")).hasSize(1);
    }
}
