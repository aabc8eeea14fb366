package dev.modelfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.SeedReplay;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.scores.ScoreTally;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import dev.modelfeedback.servlet.page.AcceptHeader;
import dev.modelfeedback.servlet.page.Chromium;
import dev.modelfeedback.servlet.page.StatusPageBrowser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real headless Chromium, served by the servlet on real Tomcat. The manual
 * clock starts on a whole hour, so that buckets and times are known exactly; the seed's replay is
 * spread over the next hour, so that the chart has a point per bucket. States that real traffic
 * cannot make on demand (a drift warning, labels days late, markup in names) are served as canned
 * JSON in the server's format by a servlet in front of the real one.
 */
class TomcatStatusPageBrowserTest {

    /** Where the screenshot of the page is written. */
    static final Path SCREENSHOT = Path.of("target", "status-page.png");

    /** How the page shows a time: 24-hour, in the browser's time zone. */
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(Chromium.TIME_ZONE);

    private final Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    private final ManualWindowClock clock = WindowClock.manual(start);
    private final ModelSet models = ModelSet.builder(new SimpleMeterRegistry())
            .eachModel(recorder -> recorder.clock(clock))
            .model("fraud", "v3", recorder -> recorder.baseline(Baseline.parse("accuracy=0.9")))
            .model("churn", "v1", recorder -> recorder.baseline(Baseline.parse("accuracy=0.95,recall=0.9")))
            .defaultModel("fraud")
            .build();
    private final TomcatContainer tomcat = new TomcatContainer();
    private URI base;
    private Http http;
    private StatusPageBrowser browser;

    @BeforeEach
    void start() throws Exception {
        browser = new StatusPageBrowser();
        base = tomcat.start(new FeedbackServlet(models));
        http = new Http(base);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        tomcat.close();
    }

    private URI page() {
        return base.resolve("/feedback");
    }

    /** The time the page shows for an instant. */
    private static String local(Instant instant) {
        return CLOCK.format(instant);
    }

    /** The seed's 40 feedbacks, 90 seconds apart: the last hour, a point or two per 2-minute bucket. */
    private void replayTheSeedOverTheLastHour() {
        http.post("{\"prediction\":0,\"actual\":0}");
        for (SeedReplay.Step step : SeedReplay.steps()) {
            clock.advance(Duration.ofSeconds(90));
            assertThat(http.post("{\"prediction\":" + step.prediction() + ",\"actual\":" + step.actual() + "}").status())
                    .isEqualTo(200);
        }
    }

    @Test
    void showsTheSeedsMetricsAfterItsReplay() {
        replayTheSeedOverTheLastHour();

        browser.open(page());

        String fraud = StatusPageBrowser.model("fraud");
        assertThat(browser.text(fraud + " h2")).isEqualTo("fraud");
        assertThat(browser.text(fraud + " .version")).isEqualTo("v3");
        assertThat(browser.metric("fraud", "lifetime", "accuracy")).isEqualTo("0.850");
        assertThat(browser.metric("fraud", "lifetime", "precision")).isEqualTo("0.900");
        assertThat(browser.metric("fraud", "lifetime", "recall")).isEqualTo("0.818");
        assertThat(browser.metric("fraud", "lifetime", "f1")).isEqualTo("0.857");
        assertThat(browser.text(fraud + " tr[data-metric='accuracy'] td[data-window='lifetime'] .interval"))
                .isEqualTo("0.709 – 0.929");
        assertThat(browser.text(fraud + " thead th[data-window='lifetime']")).isEqualTo("Lifetime\nn = 40");
        assertThat(browser.text(fraud + " td[data-baseline='accuracy']")).isEqualTo("0.900");
        assertThat(browser.text(fraud + " .health")).isEqualTo("Healthy");
        assertThat(browser.count(fraud + " .reasons li")).isZero();
        assertThat(browser.texts(fraud + " table.confusion td .count")).containsExactly("18", "4", "2", "16");
        assertThat(browser.texts(fraud + " table.confusion td .share")).containsExactly("45.0%", "10.0%", "5.0%", "40.0%");
        assertThat(browser.text(fraud + " li[data-detector='hddm_a']")).isEqualTo("stable hddm_a no drift detected");
        assertThat(browser.count(fraud + " [data-joins]")).as("no joins in use").isZero();
        assertThat(browser.count(fraud + " .chart canvas")).isEqualTo(1);
        assertThat(browser.text(fraud + " .chart .u-title"))
                .as("an hour of feedback: the 5-minute window does not reach back to its start")
                .isEqualTo("Accuracy per 2-minute bucket, last 1h (band: 95% interval; dashed: baseline)");
        assertThat(browser.legend(fraud)).as("the bucket still filling, which holds the last feedback alone")
                .containsExactly("Time " + local(start.plusSeconds(90L * SeedReplay.steps().size())), "Accuracy 1.000", "95% low 0.207",
                        "95% high 1.000", "Baseline 0.900");
        String churn = StatusPageBrowser.model("churn");
        assertThat(browser.text(churn + " .health")).isEqualTo("No feedback yet");
        assertThat(browser.script("return document.querySelector(\"" + churn + "\").className")).isEqualTo("model idle");
    }

    /**
     * The README's picture: the seed's replay on one model; another in two versions side by side,
     * v1 below its baseline after a drift, v2 healthy with its labels joined by id after a delay.
     */
    @Test
    void writesAScreenshot() throws Exception {
        ModelSet versions = ModelSet.builder(new SimpleMeterRegistry())
                .eachModel(recorder -> recorder.clock(clock))
                .model("fraud", "v3", recorder -> recorder.baseline(Baseline.parse("accuracy=0.8")))
                .model("churn", "v1", recorder -> recorder.baseline(Baseline.parse("accuracy=0.9")))
                .model("churn", "v2", recorder -> recorder.baseline(Baseline.parse("accuracy=0.8")))
                .defaultModel("fraud")
                .build();
        try (TomcatContainer other = new TomcatContainer()) {
            URI page = other.start(new FeedbackServlet(versions)).resolve("/feedback");
            http = new Http(page.resolve("/"));
            replayTheSeedOverTheLastHour();
            // Four minutes of churn: v1 right 60 times, then wrong; v2 predicts by id, its labels 20 or 30 s late.
            for (int step = 0; step < 24; step++) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < 4; i++) {
                    int id = step * 4 + i;
                    batch.append(i == 0 ? "" : ",")
                            .append("{\"model\":\"churn\",\"model_version\":\"v1\",\"prediction\":1,\"actual\":")
                            .append(step < 15 ? 1 : 0).append("},")
                            .append("{\"model\":\"churn\",\"model_version\":\"v2\",\"id\":\"p").append(id)
                            .append("\",\"prediction\":").append(id % 2).append("}");
                }
                for (int i = 0; i < 4 && step >= 3; i++) {
                    int id = (step - 3 + i % 2) * 4 + i;
                    batch.append(",{\"model\":\"churn\",\"model_version\":\"v2\",\"id\":\"p").append(id)
                            .append("\",\"actual\":").append(id % 11 == 0 ? 1 - id % 2 : id % 2).append("}");
                }
                assertThat(http.post(batch.append("]").toString()).status()).isEqualTo(200);
                clock.advance(Duration.ofSeconds(10));
            }
            browser.open(page);

            browser.waitForMetric("fraud", "lifetime", "accuracy", "0.850");
            assertThat(browser.text(StatusPageBrowser.model("churn", "v1") + " .health")).isEqualTo("Below baseline");
            assertThat(browser.texts(StatusPageBrowser.model("churn", "v1") + " .reasons li[data-kind]"))
                    .hasSize(3).last().asString().startsWith("hddm_a detected a drift at ");
            assertThat(browser.text(StatusPageBrowser.model("churn", "v2") + " .health")).isEqualTo("Healthy");

            assertThat(browser.screenshot(SCREENSHOT)).isNotEmptyFile();
        }
    }

    /**
     * Twenty scored items of fraud, by bin: five at 0.15 (one actual 1), four at 0.45 (two), six at
     * 0.85 (five) and five at 0.95 (all five); predicted 1 from 0.5. By hand: of the 13 × 7 pairs of
     * an actual 1 and an actual 0, the 1 scores higher in 77 and ties in 5, so ROC AUC is 79.5 / 91;
     * ECE (|1 - 0.75| + |2 - 1.8| + |5 - 5.1| + |5 - 4.75|) / 20 = 0.04.
     */
    private static final double[][] SCORED = {{0.15, 5, 1}, {0.45, 4, 2}, {0.85, 6, 5}, {0.95, 5, 5}};

    @Test
    void showsTheScoreMetricsAndAReliabilityDiagramOfAModelWithScoredFeedbackOnly() throws Exception {
        ModelSet scored = ModelSet.builder(new SimpleMeterRegistry())
                .eachModel(recorder -> recorder.clock(clock))
                .model("fraud", "v3", recorder -> recorder.baseline(Baseline.parse("accuracy=0.7,roc_auc=0.8")))
                .model("churn", "v1")
                .defaultModel("fraud")
                .build();
        ScoreTally expected = ScoreTally.ofBinary();
        List<String> items = new ArrayList<>();
        for (double[] bin : SCORED) {
            for (int i = 0; i < bin[1]; i++) {
                int actual = i < bin[2] ? 1 : 0;
                items.add("{\"prediction\":" + (bin[0] >= 0.5 ? 1 : 0) + ",\"actual\":" + actual + ",\"score\":" + bin[0] + "}");
                expected.add(actual, bin[0]);
            }
        }
        items.add("{\"model\":\"churn\",\"prediction\":1,\"actual\":1}");
        ScoreCounts counts = expected.counts();
        try (TomcatContainer other = new TomcatContainer()) {
            URI page = other.start(new FeedbackServlet(scored)).resolve("/feedback");
            assertThat(new Http(page.resolve("/")).post("[" + String.join(",", items) + "]").status()).isEqualTo(200);

            browser.open(page);

            String fraud = StatusPageBrowser.model("fraud");
            assertThat(browser.texts(fraud + " table.metrics tbody th")).containsExactly("Accuracy", "Precision", "Recall",
                    "F1", "Scores", "ROC AUC", "Average precision", "Log loss", "Brier score", "Calibration error (ECE)",
                    "Scored feedback");
            for (String window : List.of("5m", "1h", "lifetime")) {
                assertThat(browser.metric("fraud", window, "roc_auc")).isEqualTo(StatusPageBrowser.fixed3(79.5 / 91))
                        .isEqualTo("0.874");
                assertThat(browser.text(fraud + " tr[data-metric='roc_auc'] td[data-window='" + window + "'] .interval"))
                        .isEqualTo(StatusPageBrowser.fixed3(counts.rocAucInterval().lower()) + " – "
                                + StatusPageBrowser.fixed3(counts.rocAucInterval().upper()));
                assertThat(browser.metric("fraud", window, "average_precision"))
                        .isEqualTo(StatusPageBrowser.fixed3(counts.averagePrecision()));
                assertThat(browser.metric("fraud", window, "log_loss")).isEqualTo(StatusPageBrowser.fixed3(counts.logLoss()));
                assertThat(browser.metric("fraud", window, "brier")).isEqualTo(StatusPageBrowser.fixed3(counts.brier()));
                assertThat(browser.metric("fraud", window, "ece")).isEqualTo("0.040");
                assertThat(browser.metric("fraud", window, "scored")).isEqualTo("20");
            }
            assertThat(browser.text(fraud + " td[data-baseline='roc_auc']")).isEqualTo("0.800");
            assertThat(browser.text(fraud + " td[data-baseline='log_loss']")).isEqualTo("–");

            String reliability = fraud + " [data-reliability]";
            assertThat(browser.count(reliability + " canvas")).isEqualTo(1);
            assertThat(browser.text(reliability + " .u-title"))
                    .isEqualTo("Reliability, lifetime: share of actual 1 by mean score, per bin (dashed: calibrated)");
            assertThat(browser.texts(reliability + " table.reliability tbody th")).containsExactly("0.0–0.1", "0.1–0.2",
                    "0.2–0.3", "0.3–0.4", "0.4–0.5", "0.5–0.6", "0.6–0.7", "0.7–0.8", "0.8–0.9", "0.9–1.0");
            assertThat(browser.texts(reliability + " table.reliability td[data-value='n']"))
                    .containsExactly("0", "5", "0", "0", "4", "0", "0", "0", "6", "5");
            assertThat(browser.texts(reliability + " table.reliability td[data-value='mean_score']"))
                    .containsExactly("–", "0.150", "–", "–", "0.450", "–", "–", "–", "0.850", "0.950");
            assertThat(browser.texts(reliability + " table.reliability td[data-value='observed']"))
                    .containsExactly("–", "0.200", "–", "–", "0.500", "–", "–", "–", "0.833", "1.000");
            browser.pointAt(reliability + " .reliability-chart", 0.85, 0.83);
            browser.waitUntil("the legend to show the bin pointed at",
                    () -> browser.legend(reliability).contains("Observed 0.833"));
            assertThat(browser.legend(reliability)).extracting(String::strip)
                    .containsExactly("Mean score 0.850", "Observed 0.833", "Calibrated");
            browser.pointAt(reliability + " .reliability-chart", 0.15, 0.2);
            browser.waitUntil("the legend to follow the pointer", () -> browser.legend(reliability).contains("Observed 0.200"));
            assertThat(browser.legend(reliability)).extracting(String::strip)
                    .containsExactly("Mean score 0.150", "Observed 0.200", "Calibrated");

            String churn = StatusPageBrowser.model("churn");
            assertThat(browser.metric("churn", "lifetime", "accuracy")).isEqualTo("1.000");
            assertThat(browser.count(churn + " tbody.scores")).as("no scored feedback: no score rows").isZero();
            assertThat(browser.count(churn + " [data-reliability]:not([hidden])")).as("nor a diagram").isZero();
            assertThat(browser.count(churn + " canvas")).as("its accuracy chart only").isEqualTo(1);
            assertThat(browser.screenshot(Path.of("target", "status-page-scores.png"))).isNotEmptyFile();
        }
    }

    /** 40 feedbacks for churn, half right: accuracy and recall 0.500, far under its baselines of 0.95 and 0.9. */
    private void feedChurnHalfRight() {
        for (int i = 0; i < 40; i++) {
            http.post("{\"prediction\":" + (i % 2) + ",\"actual\":1,\"model\":\"churn\"}");
        }
    }

    @Test
    void marksAMetricSignificantlyBelowItsBaseline() {
        feedChurnHalfRight();

        browser.open(page());

        String churn = StatusPageBrowser.model("churn");
        assertThat(browser.metric("churn", "5m", "accuracy")).isEqualTo("0.500");
        assertThat(browser.text(churn + " tr[data-metric='accuracy'] td[data-window='5m'] .below-mark")).isEqualTo("below baseline");
        assertThat(browser.count(churn + " td.below")).as("accuracy and recall in 5m, 1h and lifetime").isEqualTo(6);
        assertThat(browser.text(churn + " .health")).isEqualTo("Below baseline");
        assertThat(browser.texts(churn + " .reasons li")).as("each window, then each metric").containsExactly(
                "accuracy, last 5m: 0.500 (95% interval 0.352 to 0.648), under the baseline 0.950",
                "recall, last 5m: 0.500 (95% interval 0.352 to 0.648), under the baseline 0.900",
                "accuracy, last 1h: 0.500 (95% interval 0.352 to 0.648), under the baseline 0.950",
                "recall, last 1h: 0.500 (95% interval 0.352 to 0.648), under the baseline 0.900");
        assertThat(browser.script("return document.querySelector(\"" + churn + " .reasons li\").title"))
                .as("the server's message").isEqualTo("accuracy over the last 5m is 0.500 (95% interval 0.352 to 0.648),"
                        + " below the baseline 0.950");
        assertThat(browser.script("return document.querySelector(\"" + churn + "\").className")).isEqualTo("model alarm");
    }

    /**
     * Fraud right 60 times, then wrong 40 times, all at the clock's start: hddm_a signals a drift at
     * the 65th feedback and starts over (its state is STABLE again); then 20 s pass.
     */
    private void driftFraudAndWait20Seconds() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"prediction\":1,\"actual\":").append(i < 60 ? 1 : 0).append("}");
        }
        assertThat(http.post(batch.append("]").toString()).status()).isEqualTo(200);
        assertThat(http.get().json().at("/models/1/drift/hddm_a/last_drift_at").asText()).isEqualTo(start.toString());
        clock.advance(Duration.ofSeconds(20));
    }

    @Test
    void listsEveryReasonOfTheVerdictInTheServersOrder() {
        driftFraudAndWait20Seconds();

        browser.open(page());

        String fraud = StatusPageBrowser.model("fraud");
        assertThat(browser.text(fraud + " .health")).as("the first reason's state").isEqualTo("Below baseline");
        assertThat(browser.texts(fraud + " .reasons li")).as("below baseline per window, then drift detected").containsExactly(
                "accuracy, last 5m: 0.600 (95% interval 0.502 to 0.691), under the baseline 0.900",
                "accuracy, last 1h: 0.600 (95% interval 0.502 to 0.691), under the baseline 0.900",
                "hddm_a detected a drift at " + local(start) + " (20 s ago), at feedback 65");
        assertThat(browser.script("return Array.from(document.querySelectorAll(\"" + fraud + " .reasons li\"),"
                + " e => e.dataset.kind + ' ' + e.className).join(', ')"))
                .isEqualTo("below_baseline alarm, below_baseline alarm, drift_detected alarm");
        assertThat(browser.script("return document.querySelector(\"" + fraud + "\").className")).isEqualTo("model alarm");
    }

    @Test
    void showsADetectorWithARecentDriftAsDriftDetectedThoughItsStateIsStableAgain() {
        driftFraudAndWait20Seconds();
        assertThat(http.get().json().at("/models/1/drift/hddm_a/state").asText()).isEqualTo("STABLE");

        browser.open(page());

        String detector = StatusPageBrowser.model("fraud") + " li[data-detector='hddm_a']";
        assertThat(browser.text(detector))
                .isEqualTo("drift detected hddm_a " + local(start) + " (20 s ago), at feedback 65; 1 in all");
        assertThat(browser.script("return document.querySelector(\"" + detector + " .state\").className"))
                .isEqualTo("state drift");
    }

    /** A model three minutes old: 10 s buckets of the 5-minute window, the x axis from its first feedback. */
    @Test
    void chartsTheFiveMinuteWindowOfAYoungModelWithItsLatestValuesInTheLegend() {
        for (int i = 0; i < 18; i++) {
            http.post("{\"prediction\":1,\"actual\":1}");
            clock.advance(Duration.ofSeconds(10));
        }
        http.post("[{\"prediction\":1,\"actual\":1},{\"prediction\":1,\"actual\":0}]");
        clock.advance(Duration.ofSeconds(5));
        browser.recordCanvasTexts();

        browser.open(page());

        String fraud = StatusPageBrowser.model("fraud");
        assertThat(browser.text(fraud + " .chart .u-title"))
                .isEqualTo("Accuracy per 10-second bucket, last 5m (band: 95% interval; dashed: baseline)");
        assertThat(browser.legend(fraud)).as("the bucket still filling, its two feedbacks, without hovering").containsExactly(
                "Time " + local(start.plusSeconds(185)), "Accuracy 0.500", "95% low 0.095", "95% high 0.905",
                "Baseline 0.900");
        browser.waitUntil("the axes to be drawn", () -> browser.canvasTexts().size() > 5);
        List<String> labels = browser.canvasTexts();
        assertThat(labels).noneMatch(label -> label.toLowerCase(Locale.ROOT).matches(".*\\b[ap]\\.?m\\b.*"))
                .allMatch(label -> label.matches("\\d\\.\\d\\d|\\d\\d:\\d\\d(:\\d\\d)?"));
        List<String> times = labels.stream().filter(label -> label.contains(":")).toList();
        assertThat(times).as("fraud's axis: seconds apart, from its first feedback on")
                .contains(local(start.plusSeconds(60)), local(start.plusSeconds(120)))
                .doesNotContain(local(start.minusSeconds(60)));
    }

    @Test
    void showsLabelDelaysPendingPredictionsAndUnmatchedFeedbackOnceIdsAreInUse() {
        http.post("[{\"id\":\"a\",\"prediction\":1},{\"id\":\"b\",\"prediction\":0},{\"id\":\"c\",\"prediction\":1}]");
        clock.advance(Duration.ofSeconds(30));
        http.post("{\"id\":\"a\",\"actual\":1}");
        clock.advance(Duration.ofSeconds(170));
        http.post("{\"id\":\"b\",\"actual\":0}");
        http.post("{\"id\":\"never-predicted\",\"actual\":0}");

        browser.open(page());

        String fraud = StatusPageBrowser.model("fraud");
        assertThat(browser.text(fraud + " [data-joined]")).isEqualTo("2");
        assertThat(browser.text(fraud + " [data-delay='median']")).as("30 s and 200 s, read from the histogram's buckets")
                .isEqualTo("1 min");
        assertThat(browser.text(fraud + " [data-delay='p90']")).isEqualTo("4.2 min");
        assertThat(browser.text(fraud + " [data-last-join]")).isEqualTo(local(start.plusSeconds(200)) + " (0 s ago)");
        assertThat(browser.text(fraud + " [data-pending]")).isEqualTo("1");
        assertThat(browser.texts(fraud + " [data-unmatched]"))
                .containsExactly("Unmatched, unknown: 1", "Unmatched, expired: 0", "Unmatched, evicted: 0");
        assertThat(browser.count(StatusPageBrowser.model("churn") + " [data-joins]")).as("churn uses no ids").isZero();
    }

    @Test
    void showsEveryVersionOfAModelSideBySide() throws Exception {
        ModelSet versions = ModelSet.builder(new SimpleMeterRegistry())
                .eachModel(recorder -> recorder.clock(clock))
                .model("fraud", "v3")
                .model("fraud", "v4")
                .model("spam", "v1")
                .build();
        try (TomcatContainer other = new TomcatContainer()) {
            URI page = other.start(new FeedbackServlet(versions)).resolve("/feedback");
            http = new Http(page.resolve("/"));
            for (int i = 0; i < 10; i++) {
                http.post("[{\"model\":\"fraud\",\"model_version\":\"v3\",\"prediction\":1,\"actual\":1},"
                        + "{\"model\":\"fraud\",\"model_version\":\"v4\",\"prediction\":1,\"actual\":" + (i % 2) + "}]");
            }

            browser.open(page);

            String v3 = StatusPageBrowser.model("fraud", "v3");
            String v4 = StatusPageBrowser.model("fraud", "v4");
            assertThat(browser.texts("section.model h2")).containsExactly("fraud", "fraud", "spam");
            assertThat(browser.texts("section.model .version")).containsExactly("v3", "v4", "v1");
            assertThat(browser.count("[data-model-group='fraud'].versions > section.model")).isEqualTo(2);
            assertThat(browser.count("[data-model-group='spam'].versions")).as("one version: a card as wide as the page").isZero();
            assertThat(browser.text(v3 + " tr[data-metric='accuracy'] td[data-window='lifetime'] .value")).isEqualTo("1.000");
            assertThat(browser.text(v4 + " tr[data-metric='accuracy'] td[data-window='lifetime'] .value")).isEqualTo("0.500");

            List<Number> left = browser.box(v3);
            List<Number> right = browser.box(v4);
            assertThat(right.get(1).doubleValue()).as("one row").isEqualTo(left.get(1).doubleValue());
            assertThat(right.get(0).doubleValue()).as("v4 right of v3")
                    .isGreaterThanOrEqualTo(left.get(0).doubleValue() + left.get(2).doubleValue());

            browser.resize(420, 900);
            browser.waitUntil("a phone's layout: v4 under v3", () -> browser.box(v4).get(1).doubleValue()
                    >= browser.box(v3).get(1).doubleValue() + browser.box(v3).get(3).doubleValue());
            assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
            assertThat(browser.screenshot(Path.of("target", "status-page-phone.png"), 420)).isNotEmptyFile();
        }
    }

    @Test
    void updatesWithoutAReload() {
        replayTheSeedOverTheLastHour();
        browser.open(page());
        browser.script("window.stillTheSamePage = true;");

        for (int i = 0; i < 10; i++) {
            http.post("{\"prediction\":1,\"actual\":1}");
        }

        browser.waitForMetric("fraud", "lifetime", "accuracy", "0.880");
        assertThat(browser.metric("fraud", "lifetime", "precision")).isEqualTo("0.933");
        assertThat(browser.text(StatusPageBrowser.model("fraud") + " thead th[data-window='lifetime']")).isEqualTo("Lifetime\nn = 50");
        assertThat(browser.script("return window.stillTheSamePage === true")).isEqualTo(true);
    }

    @Test
    void makesNoRequestToAnotherOrigin() {
        replayTheSeedOverTheLastHour();
        browser.open(page());
        browser.waitForRefreshes(2);

        String origin = base.toString();
        assertThat(browser.fetched()).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin));
        assertThat(browser.fetched()).anySatisfy(url -> assertThat(url).endsWith("/feedback?asset=uPlot.js"));
        assertThat(browser.script("return typeof uPlot")).isEqualTo("function");
    }

    @Test
    void saysWhenItCannotReachTheServer() {
        replayTheSeedOverTheLastHour();
        browser.open(page());

        tomcat.close();

        browser.waitUntil("the page to say the server is unreachable",
                () -> !browser.texts("#connection:not([hidden])").isEmpty());
        assertThat(browser.text("#connection")).startsWith("Could not reach the server (")
                .contains("; showing what it said at ").endsWith(". Trying again every 5 s.");
        assertThat(browser.metric("fraud", "lifetime", "accuracy")).as("the last data stays").isEqualTo("0.850");
    }

    /** The time the canned JSON was written: its windows end then. */
    private static final Instant CANNED_NOW = Instant.parse("2026-03-02T09:30:00Z");

    @Test
    void showsADriftWarningAndLabelDelaysInHumanUnits() throws Exception {
        ObjectNode warned = cannedModel("ranker", "v1");
        warned.putObject("verdict").put("state", "drift_warning").putArray("reasons").addObject()
                .put("kind", "drift_warning").put("detector", "ddm")
                .put("message", "ddm is in its warning zone: the error rate may be rising");
        warned.putObject("drift").putObject("ddm").put("state", "WARNING").put("detected", 0).put("warnings", 3)
                .putNull("last_drift_at").putNull("last_drift_feedback");
        warned.put("pending", 3);
        warned.putObject("label_delay").put("joined", 12).put("median_seconds", 42.0).put("p90_seconds", 210.0)
                .put("last_join_at", CANNED_NOW.minusSeconds(90).toString());
        ObjectNode late = cannedModel("ranker", "v2");
        late.putObject("label_delay").put("joined", 1234).put("median_seconds", 7560.0).put("p90_seconds", 129_600.0)
                .put("last_join_at", CANNED_NOW.minus(Duration.ofDays(3)).toString());

        try (TomcatContainer other = new TomcatContainer()) {
            browser.open(other.start(new CannedJsonServlet(new FeedbackServlet(models), models(warned, late),
                    "{\"models\":[]}")).resolve("/feedback"));

            String v1 = StatusPageBrowser.model("ranker", "v1");
            assertThat(browser.text(v1 + " .health")).isEqualTo("Drift warning");
            assertThat(browser.script("return document.querySelector(\"" + v1 + "\").className")).isEqualTo("model warning");
            assertThat(browser.texts(v1 + " .reasons li")).containsExactly("ddm is in its warning zone: the error rate may be rising");
            assertThat(browser.text(v1 + " li[data-detector='ddm']")).isEqualTo("warning ddm in its warning zone; no drift detected");
            assertThat(browser.text(v1 + " [data-joined]")).isEqualTo("12");
            assertThat(browser.text(v1 + " [data-delay='median']")).isEqualTo("42 s");
            assertThat(browser.text(v1 + " [data-delay='p90']")).isEqualTo("3.5 min");
            assertThat(browser.text(v1 + " [data-last-join]")).isEqualTo("14:58:30 (1 min ago)");
            assertThat(browser.text(v1 + " [data-pending]")).isEqualTo("3");

            String v2 = StatusPageBrowser.model("ranker", "v2");
            assertThat(browser.text(v2 + " .health")).isEqualTo("Healthy");
            assertThat(browser.script("return document.querySelector(\"" + v2 + "\").className")).isEqualTo("model ok");
            assertThat(browser.text(v2 + " [data-joined]")).isEqualTo("1,234");
            assertThat(browser.text(v2 + " [data-delay='median']")).isEqualTo("2.1 h");
            assertThat(browser.text(v2 + " [data-delay='p90']")).isEqualTo("1.5 d");
            assertThat(browser.text(v2 + " [data-last-join]")).as("another day: with its date").isEqualTo("2026-02-27 15:00:00 (3 d ago)");
            assertThat(browser.text(v2 + " .chart")).isEqualTo("No time window to chart.");
        }
    }

    /** Markup where the page shows names, tags and times: it must appear as text, and nothing may run. */
    private static final String MARKUP = "<img src=x onerror=\"window.injected=1\">";

    @Test
    void insertsEveryValueAsTextNeverAsMarkup() throws Exception {
        // Model names cannot hold markup (letters, digits and . _ - + : only), so a servlet in front
        // of the real one answers the page's JSON requests with markup in every string the page shows.
        ObjectNode model = cannedModel(MARKUP, "<script>window.injected=2</script>");
        ObjectNode windows = model.putObject("windows");
        ObjectNode window = windows.putObject("<b>5m</b>").put("start", CANNED_NOW.minusSeconds(300).toString())
                .put("end", CANNED_NOW.toString());
        cannedCounts(window);
        window.putObject("below_baseline").put("accuracy", true);
        ObjectNode verdict = model.putObject("verdict").put("state", "below_baseline");
        verdict.putArray("reasons")
                .add(Http.JSON.createObjectNode().put("kind", "below_baseline").put("window", "<b>5m</b>")
                        .put("metric", "<u>accuracy</u>").put("value", 0.8).put("baseline", 0.95).put("message", MARKUP)
                        .set("interval", Http.JSON.createArrayNode().add(0.49).add(0.94)))
                .add(Http.JSON.createObjectNode().put("kind", "drift_warning").put("detector", "<i>x</i>").put("message", MARKUP))
                .add(Http.JSON.createObjectNode().put("kind", "<s>new</s>").put("message", MARKUP));
        model.putObject("drift").putObject("<i>x</i>").put("state", "WARNING").put("detected", 0).put("warnings", 1)
                .putNull("last_drift_at").putNull("last_drift_feedback");
        String history = "{\"models\":[{\"model\":" + Http.JSON.writeValueAsString(MARKUP)
                + ",\"model_version\":\"<script>window.injected=2</script>\",\"windows\":[{\"window\":\"<b>1h</b>\","
                + "\"window_seconds\":3600,\"bucket_seconds\":120,\"buckets\":[{\"start\":\"2026-03-02T09:26:00Z\","
                + "\"end\":\"2026-03-02T09:28:00Z\",\"feedbacks\":10,\"accuracy\":0.8,\"interval\":[0.49,0.94]}]}]}]}";

        try (TomcatContainer other = new TomcatContainer()) {
            browser.open(other.start(new CannedJsonServlet(new FeedbackServlet(models), models(model), history))
                    .resolve("/feedback"));

            String card = "section.model";
            assertThat(browser.text(card + " h2")).isEqualTo(MARKUP);
            assertThat(browser.text(card + " .version")).isEqualTo("<script>window.injected=2</script>");
            assertThat(browser.text(card + " thead th[data-window]")).isEqualTo("Last <b>5m</b>\nn = 10");
            assertThat(browser.texts(card + " .reasons li")).containsExactly(
                    "<u>accuracy</u>, last <b>5m</b>: 0.800 (95% interval 0.490 to 0.940), under the baseline 0.950",
                    "<i>x</i> is in its warning zone: the error rate may be rising",
                    MARKUP);
            assertThat(browser.text(card + " li[data-detector]")).isEqualTo("warning <i>x</i> in its warning zone; no drift detected");
            assertThat(browser.text(card + " .chart .u-title"))
                    .isEqualTo("Accuracy per 2-minute bucket, last <b>1h</b> (band: 95% interval)");
            assertThat(browser.count("#models img, #models script, #models b, #models i, #models u, #models s")).isZero();
            assertThat(browser.script("return typeof window.injected")).isEqualTo("undefined");
        }
    }

    /**
     * A model's status as the server writes it at {@link #CANNED_NOW}: 10 feedbacks, 8 right, in
     * its 5-minute and 1-hour windows and its lifetime; healthy, no detector, no joins.
     */
    private static ObjectNode cannedModel(String name, String version) {
        ObjectNode model = Http.JSON.createObjectNode().put("model", name).put("model_version", version);
        model.putObject("verdict").put("state", "healthy").putArray("reasons");
        model.putObject("metrics").put("accuracy", 0.8).put("precision", 0.8).put("recall", 0.8).put("f1", 0.8);
        model.putObject("counts").put("true_positives", 4).put("true_negatives", 4).put("false_positives", 1)
                .put("false_negatives", 1);
        ObjectNode windows = model.putObject("windows");
        for (Duration span : List.of(Duration.ofMinutes(5), Duration.ofHours(1))) {
            cannedCounts(windows.putObject(span.equals(Duration.ofHours(1)) ? "1h" : "5m")
                    .put("start", CANNED_NOW.minus(span).toString()).put("end", CANNED_NOW.toString()));
        }
        cannedCounts(windows.putObject("lifetime"));
        model.put("pending", 0);
        model.putObject("unmatched").put("unknown", 0).put("expired", 0).put("evicted", 0);
        model.putObject("label_delay").put("joined", 0).putNull("median_seconds").putNull("p90_seconds")
                .putNull("last_join_at");
        model.putObject("drift");
        return model;
    }

    /** A window's metrics, counts and intervals: 10 feedbacks, 8 right. */
    private static void cannedCounts(ObjectNode window) {
        window.putObject("metrics").put("accuracy", 0.8).put("precision", 0.8).put("recall", 0.8).put("f1", 0.8);
        window.putObject("counts").put("true_positives", 4).put("true_negatives", 4).put("false_positives", 1)
                .put("false_negatives", 1);
        ObjectNode intervals = window.putObject("intervals");
        intervals.putArray("accuracy").add(0.49).add(0.94);
        intervals.putArray("precision").add(0.37).add(0.96);
        intervals.putArray("recall").add(0.37).add(0.96);
    }

    /** {@code {"models": [...]}} of these models. */
    private static String models(ObjectNode... models) {
        ObjectNode status = Http.JSON.createObjectNode();
        status.putArray("models").addAll(List.of(models));
        return status.toString();
    }

    /** Serves the real page and its assets, and canned JSON in place of the real status and history. */
    private static final class CannedJsonServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient FeedbackServlet real;
        private final String status;
        private final String history;

        CannedJsonServlet(FeedbackServlet real, String status, String history) {
            this.real = real;
            this.status = status;
            this.history = history;
        }

        @Override
        public void init() throws ServletException {
            real.init(getServletConfig());
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            if (request.getParameter("asset") != null || AcceptHeader.prefersHtml(request.getHeader("Accept"))) {
                real.service(request, response);
                return;
            }
            String json = request.getParameter("history") != null ? history : status;
            response.setContentType("application/json;charset=UTF-8");
            response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        }
    }
}
