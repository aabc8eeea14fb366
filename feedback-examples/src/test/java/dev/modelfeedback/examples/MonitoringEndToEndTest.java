package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.scores.ScoreCounts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the example server, scraped by a real Prometheus that loads the shipped rules.
 * Replica a is fed 90 right of 100, replica b 10 right of 50: the recording rules must report the
 * union (100 of 150), where the mean of the two lifetime gauges would say 0.55. Every item carries
 * the model's scores (seeded random ones, consistent with the prediction), so the score rules read
 * the buckets of both replicas, and the fleet's ROC AUC, log loss, Brier score and calibration error
 * must be those of one recorder fed every item.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class MonitoringEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelId INTENT = new ModelId("intent", "v2");
    private static final List<String> CLASSES = List.of("billing", "tech", "sales");
    /** The binary model's rules. */
    private static final String DEFAULT = "{model=\"default\",model_version=\"unknown\"}";
    /**
     * Samples per series (15 s at 250 ms) before reading rates: enough that rate()'s extrapolation,
     * which differs per replica, moves the cluster's ratios by less than 0.002.
     */
    private static final int SAMPLES = 60;

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<ExampleServer> replicas = new ArrayList<>();
    /** In process, every item the replicas were fed: the binary model's and intent's. */
    private final FeedbackRecorder binaryFleet = reference(ModelId.DEFAULT, List.of());
    private final FeedbackRecorder intentFleet = reference(INTENT, CLASSES);
    /** Every item but each replica's first of each model, sent before the score series existed. */
    private final FeedbackRecorder binaryWindow = reference(ModelId.DEFAULT, List.of());
    private final FeedbackRecorder intentWindow = reference(INTENT, CLASSES);
    /** Each replica's own items of the binary model. */
    private final List<FeedbackRecorder> binaryReplicas = List.of(reference(ModelId.DEFAULT, List.of()),
            reference(ModelId.DEFAULT, List.of()));
    private Process prometheus;
    private URI prometheusUri;
    private Path log;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path binary = PrometheusBinaries.require("prometheus");
        for (int i = 0; i < 2; i++) {
            replicas.add(ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0)
                    .withModels(List.of(ModelId.DEFAULT, INTENT))
                    .withClasses(Map.of(INTENT.name(), CLASSES))
                    .withBaseline(Baseline.parse("accuracy=0.9,roc_auc=0.99"))));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 250ms
                  evaluation_interval: 1s
                rule_files:
                  - %s
                  - %s
                scrape_configs:
                  - job_name: model-server
                    static_configs:
                      - targets: ["%s", "%s"]
                """.formatted(PrometheusBinaries.MONITORING.resolve("rules.yml"),
                PrometheusBinaries.MONITORING.resolve("score-rules.yml"),
                authority(replicas.get(0)), authority(replicas.get(1))));
        log = dir.resolve("prometheus.log");
        prometheus = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        prometheusUri = URI.create("http://127.0.0.1:" + port);

        awaitTrue("both replicas are scraped", () -> query("up == 1").size() == 2);
        Random random = new Random(20261204);
        List<List<Item>> binaryItems = List.of(
                binaryItems(random, 50, 40, 6, 4),   // 90 of 100 right
                binaryItems(random, 5, 5, 20, 20));  // 10 of 50 right
        // intent: billing only on replica 0 (8 of 10 found), tech only on replica 1 (3 of 4), sales
        // on both: 18 of 20 found on replica 0, 2 of 10 on replica 1
        List<List<Item>> intentItems = List.of(
                classItems(random, new long[][] {{8, 2, 0}, {0, 0, 0}, {1, 1, 18}}),
                classItems(random, new long[][] {{0, 0, 0}, {0, 3, 1}, {4, 4, 2}}));
        // A model's score series appear with its first scored item, already counting it: increase()
        // cannot see that item. One item per model first, then, once scraped, the rest, which the
        // windows see.
        for (int r = 0; r < 2; r++) {
            post(replicas.get(r), List.of(binaryItems.get(r).get(0), intentItems.get(r).get(0)));
        }
        awaitTrue("the score series of both models on both replicas are scraped",
                () -> query("model_scored_total").size() == 4);
        for (int r = 0; r < 2; r++) {
            List<Item> rest = new ArrayList<>(binaryItems.get(r).subList(1, binaryItems.get(r).size()));
            rest.addAll(intentItems.get(r).subList(1, intentItems.get(r).size()));
            post(replicas.get(r), rest);
        }
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < binaryItems.get(r).size(); i++) {
                binaryItems.get(r).get(i).recordIn(binaryFleet);
                binaryItems.get(r).get(i).recordIn(binaryReplicas.get(r));
                if (i > 0) {
                    binaryItems.get(r).get(i).recordIn(binaryWindow);
                }
            }
            for (int i = 0; i < intentItems.get(r).size(); i++) {
                intentItems.get(r).get(i).recordIn(intentFleet);
                if (i > 0) {
                    intentItems.get(r).get(i).recordIn(intentWindow);
                }
            }
        }
        awaitTrue("both replicas' feedback is scraped",
                () -> scalar("sum(model_accuracy{model=\"default\"})") > 1.09
                        && scalar("count(model_accuracy{model=\"intent\"} > 0)") == 2
                        && scalar("sum(model_scored_total{model=\"default\"})") == 150
                        && scalar("sum(model_scored_total{model=\"intent\"})") == 44);
        awaitTrue("every series has " + SAMPLES + " samples and the rules a result",
                () -> query("count_over_time(true_positives_total[5m]) >= " + SAMPLES).size() == 2
                        && query("count_over_time(model_confusion_total{actual=\"sales\",predicted=\"sales\"}[5m]) >= "
                                + SAMPLES).size() == 2
                        && query("count_over_time(model_scored_total[5m]) >= " + SAMPLES).size() == 4
                        && query("model:feedback:rate5m").size() == 2
                        && query("model_class:recall:ratio_rate5m").size() == 3
                        && query("model:scored:lifetime == 150 or model:scored:lifetime == 44").size() == 2
                        && query("model:roc_auc:ratio_rate5m").size() == 2
                        && query("model_class:roc_auc_upper95:ratio_rate1h").size() == 3
                        && query("model:calibration_error:ratio_rate1h").size() == 2);
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        replicas.forEach(ExampleServer::close);
    }

    private static String authority(ExampleServer server) {
        return server.uri().getHost() + ":" + server.uri().getPort();
    }

    private static FeedbackRecorder reference(ModelId model, List<String> classes) {
        FeedbackRecorder.Builder builder = FeedbackRecorder.builder(new SimpleMeterRegistry())
                .model(model.name(), model.version()).driftDetectors(List.of());
        return classes.isEmpty() ? builder.build() : builder.classes(classes).build();
    }

    /** One scored item over HTTP and the same item in process. */
    private interface Item {
        ObjectNode json();

        void recordIn(FeedbackRecorder recorder);
    }

    /** An item of the binary model, with its score (the probability of 1). */
    private record BinaryItem(int prediction, int actual, double score) implements Item {
        @Override
        public ObjectNode json() {
            return JSON.createObjectNode().put("model", "default").put("prediction", prediction).put("actual", actual)
                    .put("score", score);
        }

        @Override
        public void recordIn(FeedbackRecorder recorder) {
            recorder.record(prediction, actual, score);
        }
    }

    /** An item of intent@v2 with the probability of each class, by label. */
    private record ClassItem(String prediction, String actual, Map<String, Double> scores) implements Item {
        @Override
        public ObjectNode json() {
            ObjectNode item = JSON.createObjectNode().put("model", "intent").put("prediction", prediction)
                    .put("actual", actual);
            ObjectNode probabilities = item.putObject("scores");
            scores.forEach(probabilities::put);
            return item;
        }

        @Override
        public void recordIn(FeedbackRecorder recorder) {
            recorder.record(prediction, actual, recorder.scores(scores));
        }
    }

    /**
     * Items of the binary model with scores that agree with the prediction (above 0.5 for 1) and
     * rank the right ones further out: true positives 0.55 to 0.99, false positives 0.5 to 0.8, false
     * negatives 0.2 to 0.5, true negatives 0.01 to 0.45.
     */
    private static List<Item> binaryItems(Random random, int tp, int tn, int fp, int fn) {
        List<Item> items = new ArrayList<>();
        int[][] cells = {{1, 1, tp}, {0, 0, tn}, {1, 0, fp}, {0, 1, fn}};
        double[][] ranges = {{0.55, 0.99}, {0.01, 0.45}, {0.5, 0.8}, {0.2, 0.5}};
        for (int c = 0; c < cells.length; c++) {
            for (int i = 0; i < cells[c][2]; i++) {
                double score = ranges[c][0] + (ranges[c][1] - ranges[c][0]) * random.nextDouble();
                items.add(new BinaryItem(cells[c][0], cells[c][1], score));
            }
        }
        return items;
    }

    /**
     * Items of intent@v2, {@code rows[actual][predicted]} of each, by label; the predicted class has
     * the largest probability (0.5 to 0.95), the others share the rest at random.
     */
    private static List<Item> classItems(Random random, long[][] rows) {
        List<Item> items = new ArrayList<>();
        for (int a = 0; a < rows.length; a++) {
            for (int p = 0; p < rows[a].length; p++) {
                for (long i = 0; i < rows[a][p]; i++) {
                    double top = 0.5 + 0.45 * random.nextDouble();
                    double[] weights = new double[CLASSES.size()];
                    double total = 0;
                    for (int c = 0; c < weights.length; c++) {
                        weights[c] = c == p ? 0 : 0.1 + random.nextDouble();
                        total += weights[c];
                    }
                    Map<String, Double> scores = new LinkedHashMap<>();
                    for (int c = 0; c < weights.length; c++) {
                        scores.put(CLASSES.get(c), c == p ? top : (1 - top) * weights[c] / total);
                    }
                    items.add(new ClassItem(CLASSES.get(p), CLASSES.get(a), scores));
                }
            }
        }
        return items;
    }

    /** One batch over HTTP; it must be counted whole. */
    private void post(ExampleServer server, List<Item> items) throws Exception {
        ArrayNode batch = JSON.createArrayNode();
        items.forEach(item -> batch.add(item.json()));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri().resolve("/feedback"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(batch))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("recorded").asInt()).as(response.body()).isEqualTo(items.size());
    }

    /** An instant query; the result vector, failing the test on any API error. */
    private JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(prometheusUri.resolve(
                        "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).as(promql + " -> " + response.body()).isEqualTo("success");
        return body.path("data").path("result");
    }

    private double scalar(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql);
        assertThat(result).as(promql).hasSize(1);
        return result.get(0).path("value").get(1).asDouble();
    }

    /** Per-instance values of a query, keyed by the instance label. */
    private Map<String, Double> byInstance(String promql) throws IOException, InterruptedException {
        Map<String, Double> values = new HashMap<>();
        for (JsonNode sample : query(promql)) {
            values.put(sample.path("metric").path("instance").asText(), sample.path("value").get(1).asDouble());
        }
        return values;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Polls until the condition holds. A condition that fails an assertion (a query without the
     * series it expects: not scraped yet, or gone stale after a slow scrape) is polled again; the
     * last failure is reported if time runs out.
     */
    private void awaitTrue(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (prometheus.isAlive() && isReady() && condition.holds()) {
                    return;
                }
            } catch (AssertionError e) {
                last = e;
            }
            Thread.sleep(250);
        }
        AssertionError timeout = new AssertionError("timed out waiting until " + what + "; prometheus log:\n"
                + Files.readString(log));
        if (last != null) {
            timeout.addSuppressed(last);
        }
        throw timeout;
    }

    private boolean isReady() {
        try {
            return client.send(HttpRequest.newBuilder(prometheusUri.resolve("/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void eachReplicaReportsItsOwnLifetimeAccuracy() throws Exception {
        Map<String, Double> accuracy = byInstance("model_accuracy{model=\"default\",model_version=\"unknown\"}");

        assertThat(accuracy).containsOnly(
                Map.entry(authority(replicas.get(0)), 0.9),
                Map.entry(authority(replicas.get(1)), 0.2));
    }

    @Test
    void recordingRulesAggregateTheReplicasCounters() throws Exception {
        double accuracy = scalar("model:accuracy:ratio_rate5m{model=\"default\",model_version=\"unknown\"}");
        double meanOfGauges = scalar("avg(model_accuracy" + DEFAULT + ")");

        // union: TP 55, TN 45, FP 26, FN 24 of 150
        assertThat(accuracy).isCloseTo(100.0 / 150, within(0.01));
        assertThat(meanOfGauges).isCloseTo(0.55, within(1e-9));
        assertThat(Math.abs(meanOfGauges - accuracy)).isGreaterThan(0.1);
        assertThat(scalar("model:precision:ratio_rate5m")).isCloseTo(55.0 / 81, within(0.01));
        assertThat(scalar("model:recall:ratio_rate5m")).isCloseTo(55.0 / 79, within(0.01));
        assertThat(scalar("model:f1_score:ratio_rate5m")).isCloseTo(110.0 / 160, within(0.01));
        assertThat(scalar("model:feedback:rate5m" + DEFAULT)).isPositive();
        JsonNode labels = query("model:accuracy:ratio_rate5m" + DEFAULT).get(0).path("metric");
        assertThat(labels.path("model").asText()).isEqualTo("default");
        assertThat(labels.path("model_version").asText()).isEqualTo("unknown");
        assertThat(labels.has("instance")).isFalse();
    }

    /** The cluster's 95% Wilson interval: 100 of 150 is [0.5879, 0.7371], the same in both windows. */
    @Test
    void wilsonBoundsComeFromTheClustersCounts() throws Exception {
        ConfidenceInterval expected = ConfidenceInterval.wilson(100, 150);

        assertThat(scalar("model:accuracy_lower95:ratio_rate5m" + DEFAULT)).isCloseTo(expected.lower(), within(0.01));
        assertThat(scalar("model:accuracy_upper95:ratio_rate5m" + DEFAULT)).isCloseTo(expected.upper(), within(0.01));
        assertThat(scalar("model:accuracy_lower95:ratio_rate1h" + DEFAULT)).isCloseTo(expected.lower(), within(0.01));
        assertThat(scalar("model:accuracy_upper95:ratio_rate1h" + DEFAULT)).isCloseTo(expected.upper(), within(0.01));
        assertThat(scalar("model:accuracy:ratio_rate1h" + DEFAULT)).isCloseTo(100.0 / 150, within(0.01));
        // the baseline, 0.9, lies above the whole interval: the alert's condition holds (pending)
        String alert = "ALERTS{alertname=\"ModelBelowBaseline\",model=\"default\"}";
        assertThat(query(alert)).hasSize(1);
        assertThat(query(alert).get(0).at("/metric/alertstate").asText()).isEqualTo("pending");
        assertThat(query(alert).get(0).at("/metric/metric").asText()).isEqualTo("accuracy");
    }

    /**
     * A model with classes on both replicas. billing lives on replica 0 and tech on replica 1
     * only, so each one's recall is a ratio of one replica's rates and comes back exactly; sales is
     * split, 18 of 20 found on one and 2 of 10 on the other: summed first, 20 of 30, where the mean
     * of the replicas' ratios would say 0.55 (within rate()'s extrapolation, which differs per replica).
     */
    @Test
    void perClassRecallOfAFleetIsSummedOverTheReplicasFirst() throws Exception {
        Map<String, Double> recall = new HashMap<>();
        for (JsonNode sample : query("model_class:recall:ratio_rate5m{model=\"intent\",model_version=\"v2\"}")) {
            recall.put(sample.path("metric").path("class").asText(), sample.path("value").get(1).asDouble());
        }

        assertThat(recall).containsOnlyKeys("billing", "tech", "sales");
        assertThat(recall.get("billing")).isCloseTo(0.8, within(1e-12));
        assertThat(recall.get("tech")).isCloseTo(0.75, within(1e-12));
        assertThat(recall.get("sales")).isCloseTo(20.0 / 30, within(0.01));
        assertThat(Math.abs(recall.get("sales") - 0.55)).isGreaterThan(0.1);
        // what each replica says of itself over its lifetime: sales 0.9 and 0.2
        Map<String, Double> own = byInstance("model_class_recall{model=\"intent\",class=\"sales\"}");
        assertThat(own).containsOnly(Map.entry(authority(replicas.get(0)), 0.9), Map.entry(authority(replicas.get(1)), 0.2));
        // the fleet: 31 of 44 right; every class predicted and present, so macro F1 is the mean of three
        assertThat(scalar("model:accuracy:ratio_rate5m{model=\"intent\"}")).isCloseTo(31.0 / 44, within(0.01));
        double billingF1 = 2.0 * 8 / (10 + 13);
        double techF1 = 2.0 * 3 / (4 + 10);
        double salesF1 = 2.0 * 20 / (30 + 21);
        assertThat(scalar("model:macro_f1:ratio_rate5m{model=\"intent\"}"))
                .isCloseTo((billingF1 + techF1 + salesF1) / 3, within(0.01));
        assertThat(query("model:confusion:rate5m{model=\"intent\"}")).hasSize(9);
    }

    private static final String INTENT_LABELS = "{model=\"intent\",model_version=\"v2\"}";

    /**
     * The fleet's lifetime scores (the counters' own values summed over the replicas) are those of
     * one recorder that counted every item both replicas were sent: ROC AUC of the summed buckets,
     * its DeLong bounds, log loss, Brier score and calibration error, to rounding.
     */
    @Test
    void lifetimeScoresOfTheFleetAreThoseOfOneRecorderFedEveryItem() throws Exception {
        ScoreCounts binary = binaryFleet.scores();
        ConfidenceInterval interval = binary.rocAucInterval();

        assertThat(binary.n()).isEqualTo(150);
        assertThat(scalar("model:scored:lifetime" + DEFAULT)).isEqualTo(150);
        assertThat(scalar("model:roc_auc:ratio_lifetime" + DEFAULT)).isCloseTo(binary.rocAuc(), within(1e-9));
        assertThat(scalar("model:roc_auc_lower95:ratio_lifetime" + DEFAULT)).isCloseTo(interval.lower(), within(1e-9));
        assertThat(scalar("model:roc_auc_upper95:ratio_lifetime" + DEFAULT)).isCloseTo(interval.upper(), within(1e-9));
        assertThat(scalar("model:log_loss:ratio_lifetime" + DEFAULT)).isCloseTo(binary.logLoss(), within(1e-9));
        assertThat(scalar("model:brier_score:ratio_lifetime" + DEFAULT)).isCloseTo(binary.brier(), within(1e-9));
        assertThat(scalar("model:calibration_error:ratio_lifetime" + DEFAULT))
                .isCloseTo(binary.calibrationError(), within(1e-9));

        ScoreCounts intent = intentFleet.scores();
        assertThat(intent.n()).isEqualTo(44);
        assertThat(scalar("model:roc_auc:ratio_lifetime" + INTENT_LABELS)).isCloseTo(intent.rocAuc(), within(1e-9));
        Map<String, JsonNode> perClass = byClass("model_class:roc_auc:ratio_lifetime" + INTENT_LABELS);
        Map<String, JsonNode> lower = byClass("model_class:roc_auc_lower95:ratio_lifetime" + INTENT_LABELS);
        Map<String, JsonNode> upper = byClass("model_class:roc_auc_upper95:ratio_lifetime" + INTENT_LABELS);
        assertThat(perClass).containsOnlyKeys(CLASSES);
        for (int c = 0; c < CLASSES.size(); c++) {
            String label = CLASSES.get(c);
            assertThat(value(perClass.get(label))).as(label).isCloseTo(intent.rocAuc(c), within(1e-9));
            assertThat(value(lower.get(label))).as(label).isCloseTo(intent.rocAucInterval(c).lower(), within(1e-9));
            assertThat(value(upper.get(label))).as(label).isCloseTo(intent.rocAucInterval(c).upper(), within(1e-9));
        }
        assertThat(query("model:roc_auc_upper95:ratio_lifetime" + INTENT_LABELS)).as("the mean over classes has no interval")
                .isEmpty();
        assertThat(scalar("model:log_loss:ratio_lifetime" + INTENT_LABELS)).isCloseTo(intent.logLoss(), within(1e-9));
        assertThat(scalar("model:brier_score:ratio_lifetime" + INTENT_LABELS)).isCloseTo(intent.brier(), within(1e-9));
        assertThat(scalar("model:calibration_error:ratio_lifetime" + INTENT_LABELS))
                .isCloseTo(intent.calibrationError(), within(1e-9));
    }

    /** Each replica's gauge is its own items' AUC; the fleet's is neither, nor their mean. */
    @Test
    void eachReplicaReportsItsOwnLifetimeRocAuc() throws Exception {
        Map<String, Double> auc = byInstance("model_roc_auc" + DEFAULT);
        double own0 = binaryReplicas.get(0).scores().rocAuc();
        double own1 = binaryReplicas.get(1).scores().rocAuc();

        assertThat(auc).containsOnlyKeys(authority(replicas.get(0)), authority(replicas.get(1)));
        assertThat(auc.get(authority(replicas.get(0)))).isCloseTo(own0, within(1e-9));
        assertThat(auc.get(authority(replicas.get(1)))).isCloseTo(own1, within(1e-9));
        double fleet = binaryFleet.scores().rocAuc();
        assertThat(Math.abs(fleet - (own0 + own1) / 2)).isGreaterThan(0.01);
    }

    /**
     * The windows hold what increase() sees: every item but each replica's first (sent before its
     * score series existed), scaled by rate()'s extrapolation, which differs a little per replica and
     * per series. Hence a tolerance here; the promtool tests check the windows exactly.
     */
    @Test
    void windowedScoresComeFromTheItemsOfTheWindow() throws Exception {
        ScoreCounts binary = binaryWindow.scores();
        ScoreCounts intent = intentWindow.scores();

        for (String window : List.of("ratio_rate5m", "ratio_rate1h")) {
            double auc = scalar("model:roc_auc:" + window + DEFAULT);
            assertThat(auc).as(window).isCloseTo(binary.rocAuc(), within(0.02));
            assertThat(scalar("model:roc_auc_lower95:" + window + DEFAULT)).as(window)
                    .isCloseTo(binary.rocAucInterval().lower(), within(0.02)).isLessThan(auc);
            assertThat(scalar("model:roc_auc_upper95:" + window + DEFAULT)).as(window)
                    .isCloseTo(binary.rocAucInterval().upper(), within(0.02)).isGreaterThan(auc);
            assertThat(scalar("model:log_loss:" + window + DEFAULT)).as(window).isCloseTo(binary.logLoss(), within(0.02));
            assertThat(scalar("model:brier_score:" + window + DEFAULT)).as(window).isCloseTo(binary.brier(), within(0.02));
            assertThat(scalar("model:calibration_error:" + window + DEFAULT)).as(window)
                    .isCloseTo(binary.calibrationError(), within(0.02));
            assertThat(scalar("model:roc_auc:" + window + INTENT_LABELS)).as(window).isCloseTo(intent.rocAuc(), within(0.02));
            assertThat(scalar("model:log_loss:" + window + INTENT_LABELS)).as(window)
                    .isCloseTo(intent.logLoss(), within(0.02));
            assertThat(scalar("model:calibration_error:" + window + INTENT_LABELS)).as(window)
                    .isCloseTo(intent.calibrationError(), within(0.02));
        }
        assertThat(scalar("model:scored:increase5m" + DEFAULT)).isCloseTo(148, within(148 * 0.05));
        Map<String, JsonNode> items = new HashMap<>();
        for (JsonNode sample : query("model_bin:calibration_items:increase1h" + DEFAULT)) {
            items.put(sample.path("metric").path("bin").asText(), sample);
        }
        assertThat(items).hasSize(10);
    }

    /**
     * The baseline's 0.99 is above the binary model's whole interval, on 79 positives and 71
     * negatives: the AUC alert's condition holds (pending). intent has 4 items of tech only: no alert.
     */
    @Test
    void aucAlertHoldsForAModelSignificantlyBelowItsBaseline() throws Exception {
        assertThat(scalar("model:roc_auc_upper95:ratio_rate1h" + DEFAULT)).isLessThan(0.99);
        JsonNode alerts = query("ALERTS{alertname=\"ModelAucBelowBaseline\"}");

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).at("/metric/model").asText()).isEqualTo("default");
        assertThat(alerts.get(0).at("/metric/alertstate").asText()).isEqualTo("pending");
    }

    private Map<String, JsonNode> byClass(String promql) throws IOException, InterruptedException {
        Map<String, JsonNode> values = new HashMap<>();
        for (JsonNode sample : query(promql)) {
            values.put(sample.path("metric").path("class").asText(), sample);
        }
        return values;
    }

    private static double value(JsonNode sample) {
        return sample.path("value").get(1).asDouble();
    }

    @Test
    void shippedRulesAreLoadedAndHealthy() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(prometheusUri.resolve("/api/v1/rules")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode groups = JSON.readTree(response.body()).path("data").path("groups");

        List<String> names = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("health").asText()).as(rule.path("name").asText()).isEqualTo("ok");
                names.add(rule.path("name").asText());
            }
        }
        assertThat(names).contains("model:accuracy:ratio_rate5m", "model:precision:ratio_rate5m",
                "model:recall:ratio_rate5m", "model:f1_score:ratio_rate5m", "model:feedback:rate5m",
                "model:accuracy:ratio_rate1h", "model:feedback:rate1h", "model:accuracy_lower95:ratio_rate5m",
                "model:accuracy_upper95:ratio_rate5m", "model:accuracy_lower95:ratio_rate1h",
                "model:accuracy_upper95:ratio_rate1h", "ModelAccuracyLow", "ModelFeedbackStalled", "ModelBelowBaseline",
                "ModelDriftDetected", "ModelFeedbackUnmatched", "model:label_delay_seconds:p50_rate1h",
                "model:label_delay_seconds:p90_rate1h", "ModelLabelsLate", "model:confusion:rate5m",
                "model_class:recall:ratio_rate5m", "model_class:precision:ratio_rate1h", "model_class:f1_score:ratio_rate1h",
                "model:macro_f1:ratio_rate5m", "model:macro_f1:ratio_rate1h",
                "model_row:score_buckets:increase5m", "model_row:score_bucket_items:increase1h",
                "model:roc_auc:ratio_rate5m", "model:roc_auc_lower95:ratio_rate1h", "model:roc_auc_upper95:ratio_lifetime",
                "model_class:roc_auc:ratio_rate1h", "model:log_loss:ratio_rate5m", "model:brier_score:ratio_rate1h",
                "model:calibration_error:ratio_lifetime", "model_bin:calibration_items:increase1h",
                "ModelAucBelowBaseline", "ModelMiscalibrated");
        // rules.yml's 46 and score-rules.yml's 3 windows of 258 (240 one per score bucket) and 2 alerts
        assertThat(names).hasSize(46 + 3 * 258 + 2);
    }

    private static final Pattern SERIES_NAME = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");

    @Test
    void everyDashboardQueryRunsAndNamesOnlyExistingSeries() throws Exception {
        JsonNode dashboard = JSON.readTree(PrometheusBinaries.MONITORING.resolve("grafana-dashboard.json").toFile());
        Set<String> existing = new HashSet<>();
        HttpResponse<String> names = client.send(HttpRequest.newBuilder(
                prometheusUri.resolve("/api/v1/label/__name__/values")).build(), HttpResponse.BodyHandlers.ofString());
        JSON.readTree(names.body()).path("data").forEach(name -> existing.add(name.asText()));

        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
        assertThat(expressions).hasSize(40);
        for (String expression : expressions) {
            String promql = expression.replace("$model_version", ".*").replace("$model", ".*")
                    .replace("$__range", "5m").replace("$__rate_interval", "1m");
            assertThat(query(promql)).as("%s returns series", promql).isNotEmpty();
            Matcher names2 = SERIES_NAME.matcher(promql);
            while (names2.find()) {
                String name = names2.group(1);
                if (!name.equals("by")) {
                    assertThat(existing).as("%s names %s", expression, name).contains(name);
                }
            }
        }
        // Annotations show drift detections: none happened here, so their query must only be valid.
        List<String> annotations = new ArrayList<>();
        dashboard.path("annotations").path("list").forEach(a -> annotations.add(a.path("expr").asText()));
        assertThat(annotations).hasSize(1);
        for (String expression : annotations) {
            query(expression.replace("$model_version", ".*").replace("$model", ".*"));
            Matcher names3 = SERIES_NAME.matcher(expression);
            while (names3.find()) {
                if (!names3.group(1).equals("by")) {
                    assertThat(existing).as("%s names %s", expression, names3.group(1)).contains(names3.group(1));
                }
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                String definition = variable.path("definition").asText();
                Matcher metric = Pattern.compile("label_values\\(([a-z_]+)").matcher(definition);
                assertThat(metric.find()).as(definition).isTrue();
                assertThat(existing).as(definition).contains(metric.group(1));
            }
        }
    }
}
