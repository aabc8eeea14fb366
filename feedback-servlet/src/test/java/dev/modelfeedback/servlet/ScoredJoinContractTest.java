package dev.modelfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.scores.ScoreTally;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scores that ride with a prediction by id, over real HTTP against each real container by a
 * subclass: stored with the prediction and counted when its actual value joins it, or counted once
 * with inline feedback by id whatever the retries. These depend on the pending store keeping the
 * scores of its predictions (the default, in-memory one here). The servlet serves the binary
 * {@code fraud} (the default) and {@code intent} (billing, tech, sales).
 */
abstract class ScoredJoinContractTest {

    private static final List<String> INTENT = List.of("billing", "tech", "sales");

    private final ManualWindowClock clock = WindowClock.manual(Instant.parse("2026-01-01T00:00:00Z"));
    private final ModelSet models = ModelSet.builder(new SimpleMeterRegistry())
            .eachModel(recorder -> recorder.clock(clock))
            .model("fraud", "v3")
            .model("intent", "v2")
            .classes("intent", INTENT)
            .defaultModel("fraud")
            .build();
    private ServletContainer container;
    private Http http;

    abstract ServletContainer newContainer();

    @BeforeEach
    void start() throws Exception {
        container = newContainer();
        http = new Http(container.start(new FeedbackServlet(models)));
    }

    @AfterEach
    void stop() {
        container.close();
    }

    private JsonNode scores(String model) {
        for (JsonNode entry : http.get().json().get("models")) {
            if (entry.get("model").asText().equals(model)) {
                return entry.get("windows").get("lifetime").get("scores");
            }
        }
        throw new AssertionError("no model " + model);
    }

    @Test
    void aPredictionStoredWithItsScoreIsCountedWithItsActualValue() {
        Http.Answer stored = http.post("{\"id\":\"p-1\",\"prediction\":1,\"score\":0.9}");
        assertThat(stored.status()).as(stored.body()).isEqualTo(202);
        assertThat(scores("fraud").get("n").asLong()).as("nothing counted before the actual value").isZero();

        clock.advance(Duration.ofMinutes(1));
        Http.Answer joined = http.post("{\"id\":\"p-1\",\"actual\":0}");

        assertThat(joined.status()).as(joined.body()).isEqualTo(200);
        ScoreTally expected = ScoreTally.ofBinary();
        expected.add(0, 0.9);
        ScoreJson.assertEquals(scores("fraud"), expected.counts(), List.of(), "fraud");
        assertThat(models.recorder("fraud").snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 1, 0));
    }

    @Test
    void aModelsScoresStoredByIdAreCountedWhenTheActualClassJoins() {
        assertThat(http.post("{\"model\":\"intent\",\"id\":\"t-1\",\"prediction\":\"tech\","
                + "\"scores\":{\"tech\":0.6,\"billing\":0.3,\"sales\":0.1}}").status()).isEqualTo(202);

        Http.Answer joined = http.post("{\"model\":\"intent\",\"id\":\"t-1\",\"actual\":\"billing\"}");

        assertThat(joined.status()).as(joined.body()).isEqualTo(200);
        ScoreTally expected = ScoreTally.ofClasses(3);
        expected.add(1, 0, new double[] {0.3, 0.6, 0.1});
        ScoreJson.assertEquals(scores("intent"), expected.counts(), INTENT, "intent");
    }

    /** Predictions in one batch, their actual values in another in another order: counted in the order they join. */
    @Test
    void batchesOfScoredPredictionsAndTheirActualValuesGiveWhatCoreComputesInProcess() {
        double[] scores = {0.12, 0.97, 0.5, 0.33, 0.71, 0.0, 1.0, 0.45};
        StringBuilder predictions = new StringBuilder("[");
        for (int i = 0; i < scores.length; i++) {
            predictions.append(i == 0 ? "" : ",").append("{\"id\":\"p-").append(i).append("\",\"prediction\":")
                    .append(scores[i] >= 0.5 ? 1 : 0).append(",\"score\":").append(scores[i]).append('}');
        }
        assertThat(http.post(predictions.append(']').toString()).status()).isEqualTo(202);
        StringBuilder actuals = new StringBuilder("[");
        ScoreTally expected = ScoreTally.ofBinary();
        for (int k = 0; k < scores.length; k++) {
            int i = scores.length - 1 - k;
            int actual = i % 3 == 0 ? 0 : 1;
            actuals.append(k == 0 ? "" : ",").append("{\"id\":\"p-").append(i).append("\",\"actual\":").append(actual)
                    .append('}');
            expected.add(actual, scores[i]);
        }

        Http.Answer joined = http.post(actuals.append(']').toString());

        assertThat(joined.status()).as(joined.body()).isEqualTo(200);
        assertThat(joined.json().get("recorded").asInt()).isEqualTo(scores.length);
        ScoreJson.assertEquals(scores("fraud"), expected.counts(), List.of(), "fraud");
    }

    @Test
    void inlineFeedbackByIdCountsItsScoreOnceWhateverTheRetries() {
        String item = "{\"id\":\"i-1\",\"prediction\":1,\"actual\":1,\"score\":0.7}";
        assertThat(http.post(item).status()).isEqualTo(200);

        Http.Answer retry = http.post(item);

        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.json().get("duplicate").asBoolean()).isTrue();
        ScoreTally expected = ScoreTally.ofBinary();
        expected.add(1, 0.7);
        ScoreJson.assertEquals(scores("fraud"), expected.counts(), List.of(), "fraud");
    }

    /** The scores are part of the prediction: a repeat with another score is a conflict, refused whole. */
    @Test
    void aRepeatedPredictionWithAnotherScoreIsAConflictAndCountsNothing() {
        assertThat(http.post("{\"id\":\"p-1\",\"prediction\":1,\"score\":0.9}").status()).isEqualTo(202);
        assertThat(http.post("{\"id\":\"p-1\",\"prediction\":1,\"score\":0.9}").json().get("duplicate").asBoolean())
                .isTrue();
        String before = http.get().body();

        Http.Answer conflict = http.post("[{\"prediction\":1,\"actual\":1,\"score\":0.2},"
                + "{\"id\":\"p-1\",\"prediction\":1,\"score\":0.8}]");

        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
        assertThat(conflict.error()).startsWith("item 1: id 'p-1' was already recorded with ");
        assertThat(http.get().body()).isEqualTo(before);
        assertThat(http.post("{\"id\":\"p-1\",\"actual\":1}").status()).isEqualTo(200);
        ScoreTally expected = ScoreTally.ofBinary();
        expected.add(1, 0.9);
        ScoreJson.assertEquals(scores("fraud"), expected.counts(), List.of(), "fraud");
    }
}
