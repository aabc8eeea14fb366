package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.model.ModelId;
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
import java.util.List;
import java.util.Map;
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
 * union (100 of 150), where the mean of the two lifetime gauges would say 0.55.
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
                    .withBaseline(Baseline.parse("accuracy=0.9"))));
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
                scrape_configs:
                  - job_name: model-server
                    static_configs:
                      - targets: ["%s", "%s"]
                """.formatted(PrometheusBinaries.MONITORING.resolve("rules.yml"),
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
        feed(replicas.get(0), 50, 40, 6, 4);   // 90 of 100 right
        feed(replicas.get(1), 5, 5, 20, 20);   // 10 of 50 right
        // intent: billing only on replica 0 (8 of 10 found), tech only on replica 1 (3 of 4), sales
        // on both: 18 of 20 found on replica 0, 2 of 10 on replica 1
        feedClasses(replicas.get(0), new long[][] {{8, 2, 0}, {0, 0, 0}, {1, 1, 18}});
        feedClasses(replicas.get(1), new long[][] {{0, 0, 0}, {0, 3, 1}, {4, 4, 2}});
        awaitTrue("both replicas' feedback is scraped",
                () -> scalar("sum(model_accuracy{model=\"default\"})") > 1.09
                        && scalar("count(model_accuracy{model=\"intent\"} > 0)") == 2);
        awaitTrue("every series has " + SAMPLES + " samples and the rules a result",
                () -> query("count_over_time(true_positives_total[5m]) >= " + SAMPLES).size() == 2
                        && query("count_over_time(model_confusion_total{actual=\"sales\",predicted=\"sales\"}[5m]) >= "
                                + SAMPLES).size() == 2
                        && query("model:feedback:rate5m").size() == 2
                        && query("model_class:recall:ratio_rate5m").size() == 3);
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

    /** Items of intent@v2, {@code rows[actual][predicted]} of each, by label. */
    private void feedClasses(ExampleServer server, long[][] rows) throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int a = 0; a < rows.length; a++) {
            for (int p = 0; p < rows[a].length; p++) {
                for (long i = 0; i < rows[a][p]; i++) {
                    batch.append(batch.length() == 1 ? "" : ",").append("{\"model\":\"intent\",\"prediction\":\"")
                            .append(CLASSES.get(p)).append("\",\"actual\":\"").append(CLASSES.get(a)).append("\"}");
                }
            }
        }
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri().resolve("/feedback"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.append(']').toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private void feed(ExampleServer server, int tp, int tn, int fp, int fn) throws Exception {
        StringBuilder batch = new StringBuilder("[");
        int[][] cells = {{1, 1, tp}, {0, 0, tn}, {1, 0, fp}, {0, 1, fn}};
        for (int[] cell : cells) {
            for (int i = 0; i < cell[2]; i++) {
                batch.append(batch.length() == 1 ? "" : ",")
                        .append("{\"model\":\"default\",\"prediction\":").append(cell[0]).append(",\"actual\":")
                        .append(cell[1]).append('}');
            }
        }
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri().resolve("/feedback"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.append(']').toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
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

    private void awaitTrue(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (prometheus.isAlive() && isReady() && condition.holds()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting until " + what + "; prometheus log:\n" + Files.readString(log));
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
                "model:macro_f1:ratio_rate5m", "model:macro_f1:ratio_rate1h");
        assertThat(names).hasSize(46);
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
        assertThat(expressions).hasSize(27);
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
