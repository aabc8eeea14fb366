package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.Metric;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Baselines of ROC AUC and log loss: parsed, taken from a reference period, judged by DeLong's interval. */
final class ScoreBaselineTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void rocAucAndLogLossAreParsedWithTheirRanges() {
        Baseline baseline = Baseline.parse("roc_auc=0.91,log_loss=1.7");
        assertThat(baseline.values()).isEqualTo(Map.of(Metric.ROC_AUC, 0.91, Metric.LOG_LOSS, 1.7));
        assertThatThrownBy(() -> Baseline.parse("roc_auc=1.2"))
                .hasMessage("baseline roc_auc must be between 0 and 1, got 1.2");
        assertThatThrownBy(() -> Baseline.parse("log_loss=-0.1"))
                .hasMessage("baseline log_loss must be a finite number of at least 0, got -0.1");
        assertThatThrownBy(() -> Baseline.parse("log_loss=x"))
                .hasMessage("baseline log_loss must be a number of at least 0, got 'x'");
        assertThatThrownBy(() -> Baseline.parse("auc=0.9"))
                .hasMessage("metric must be accuracy, precision, recall, f1, macro_f1, roc_auc or log_loss, got 'auc'");
        // both kinds of model may hold them
        FeedbackRecorder.builder(registry).model("a", "1").baseline(baseline).build();
        FeedbackRecorder.builder(registry).model("b", "1").classes("x", "y", "z").baseline(baseline).build();
        assertThat(registry.get("model.baseline").tag("model", "b").tag("metric", "log_loss").gauge().value()).isEqualTo(1.7);
    }

    @Test
    void aWindowWhoseAucIntervalLiesBelowTheBaselineIsBelowIt() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).baseline(Baseline.parse("roc_auc=0.95")).build();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 2_000; i++) { // a model ranking barely better than chance
            int actual = random.nextInt(2);
            double score = Math.min(1, random.nextDouble() * 0.9 + actual * 0.1);
            recorder.record(score >= 0.5 ? 1 : 0, actual, score);
        }
        ModelStatus status = recorder.status();
        Verdict verdict = status.verdict();

        assertThat(status.windows().get(0).scores().rocAucInterval().upper()).isLessThan(0.95);
        assertThat(verdict.state()).isEqualTo(Verdict.State.BELOW_BASELINE);
        Verdict.BelowBaseline reason = (Verdict.BelowBaseline) verdict.reasons().get(0);
        assertThat(reason.metric()).isEqualTo(Metric.ROC_AUC);
        assertThat(reason.value()).isEqualTo(status.windows().get(0).scores().rocAuc());
        assertThat(reason.interval()).isEqualTo(status.windows().get(0).scores().rocAucInterval());
        assertThat(reason.message()).startsWith("roc_auc over the last 5m is 0.6").endsWith("below the baseline 0.950");
    }

    @Test
    void aGoodRankingOrNoScoresAtAllIsNotBelowAnAucBaseline() {
        FeedbackRecorder unscored = FeedbackRecorder.builder(registry).model("u", "1")
                .baseline(Baseline.parse("roc_auc=0.95,log_loss=0.01")).build();
        unscored.record(1, 0);
        assertThat(unscored.status().verdict().state()).isEqualTo(Verdict.State.HEALTHY);

        FeedbackRecorder good = FeedbackRecorder.builder(registry).model("g", "1")
                .baseline(Baseline.parse("roc_auc=0.95,log_loss=0.01")).build();
        for (int i = 0; i < 200; i++) {
            good.record(1, 1, 0.9);
            good.record(0, 0, 0.1);
        }
        // the log loss (0.105) is far above its baseline, but log loss has no interval: shown, never judged
        assertThat(good.status().verdict().state()).isEqualTo(Verdict.State.HEALTHY);
    }

    @Test
    void aReferencePeriodTakesRocAucAndLogLossFromItsScoredItems() {
        FeedbackRecorder recorder = FeedbackRecorder.builder(registry).baselineFromFirst(4).build();
        recorder.record(1, 1, 0.8);
        recorder.record(0, 0, 0.4);
        recorder.record(1, 0, 0.6);
        assertThat(recorder.baseline().isEmpty()).isTrue();
        recorder.record(0, 1, 0.3);          // the fourth item closes the period
        recorder.record(1, 1, 0.99);         // after it: not in the baseline

        Baseline baseline = recorder.baseline();
        // positives 0.8, 0.3; negatives 0.4, 0.6: pairs above 1 + 0 + 0 + 0... 0.8 beats both, 0.3 neither
        assertThat(baseline.value(Metric.ROC_AUC)).hasValue(0.5);
        assertThat(baseline.value(Metric.LOG_LOSS))
                .hasValue((-Math.log(0.8) - Math.log(0.6) - Math.log(0.4) - Math.log(0.3)) / 4);
        assertThat(baseline.value(Metric.ACCURACY)).hasValue(0.5);
        assertThat(registry.get("model.baseline").tag("metric", "roc_auc").gauge().value()).isEqualTo(0.5);
    }
}
