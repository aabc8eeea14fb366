package dev.modelfeedback.servlet.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.ConfidenceInterval;
import dev.modelfeedback.core.scores.ScoreCounts;
import dev.modelfeedback.core.scores.ScoreTally;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import dev.modelfeedback.servlet.FeedbackServlet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of models with declared classes in a real headless Chromium ({@link Chromium};
 * skipped with a notice when it is not installed, a failure under
 * {@code -Dfeedback.requireBrowser=true}), served by the real servlet on real embedded Tomcat, fed
 * over HTTP. The expected values are worked out by hand from the feedback each test sends; a binary
 * model served beside the others must still show its four metrics and 2×2 matrix.
 */
class MultiClassStatusPageBrowserTest {

    /** Where the screenshot of the page is written, beside the binary page's {@code status-page.png}. */
    static final Path SCREENSHOT = Path.of("target", "status-page-classes.png");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Labels that are markup, or hold quotes and an ampersand: they must show as text, and nothing may run. */
    private static final String IMG = "<img src=x onerror=alert(1)>";
    private static final String QUOTES = "\"quoted\" & 'single'";
    private static final String SCRIPT = "</td><script>window.injected=1</script>";

    private static final List<String> INTENT = List.of("billing", "tech", "sales", "refunds");

    /** 32 classes, the most a model may declare; one label as long as a label may be (64 code points). */
    private static final List<String> TOPICS = IntStream.range(0, 32)
            .mapToObj(i -> i == 7 ? "topic-07, a label as long as a label may be: sixty-four code pts" : String.format("topic-%02d", i))
            .toList();

    static {
        // Tomcat logs every start and stop at INFO through java.util.logging; keep test output readable.
        Logger.getLogger("org.apache").setLevel(Level.WARNING);
    }

    private final ManualWindowClock clock = WindowClock.manual(Instant.now().truncatedTo(ChronoUnit.MINUTES));
    private final ModelSet models = ModelSet.builder(new SimpleMeterRegistry())
            .eachModel(recorder -> recorder.clock(clock))
            .model("fraud", "v1")
            .model("intent", "v2", recorder -> recorder.baseline(Baseline.parse("accuracy=0.6,macro_f1=0.5")))
            .model("tickets", "v1")
            .model("topics", "v1")
            .classes("intent", INTENT)
            .classes("tickets", IMG, QUOTES, SCRIPT)
            .classes("topics", TOPICS)
            .defaultModel("fraud")
            .build();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    @TempDir
    private Path tomcatBase;
    private TomcatServer tomcat;
    private URI base;
    private StatusPageBrowser browser;

    @BeforeEach
    void start() throws LifecycleException {
        browser = new StatusPageBrowser();
        tomcat = new TomcatServer(tomcatBase.resolve("main"), new FeedbackServlet(models));
        base = tomcat.base();
    }

    @AfterEach
    void stop() throws LifecycleException {
        if (browser != null) {
            browser.close();
        }
        if (tomcat != null) {
            tomcat.close();
        }
    }

    /** Real embedded Tomcat with a servlet at {@code /feedback}, on 127.0.0.1 at a port the OS picks. */
    private static final class TomcatServer implements AutoCloseable {
        private final Tomcat tomcat = new Tomcat();
        private final URI base;

        TomcatServer(Path baseDir, HttpServlet servlet) throws LifecycleException {
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", baseDir.toString());
            StandardContext standard = (StandardContext) context;
            standard.setFailCtxIfServletStartFails(true);
            // The servlet leaks nothing; these checks only print JDK module warnings.
            standard.setClearReferencesRmiTargets(false);
            standard.setClearReferencesThreadLocals(false);
            Wrapper wrapper = Tomcat.addServlet(context, "feedback", servlet);
            wrapper.setLoadOnStartup(1);
            wrapper.setAsyncSupported(true);
            wrapper.addMapping("/feedback");
            try {
                tomcat.start();
            } catch (LifecycleException | RuntimeException e) {
                tomcat.destroy();
                throw e;
            }
            assertThat(context.getState()).as("Tomcat's context").isEqualTo(LifecycleState.STARTED);
            base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
        }

        /** {@code http://127.0.0.1:port/}. */
        URI base() {
            return base;
        }

        @Override
        public void close() throws LifecycleException {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private URI page() {
        return base.resolve("/feedback");
    }

    /** Posts a batch of items, each {@code model, prediction, actual} and optionally its version, and checks that all were counted. */
    private void post(List<String[]> items) {
        ArrayNode batch = JSON.createArrayNode();
        for (String[] item : items) {
            ObjectNode node = batch.addObject().put("model", item[0]).put("prediction", item[1]).put("actual", item[2]);
            if (item.length > 3) {
                node.put("model_version", item[3]);
            }
        }
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(page())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(batch))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("recorded").asInt()).isEqualTo(items.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code times} items of one model, predicted {@code predicted}, actually {@code actual}. */
    private static List<String[]> items(String model, String predicted, String actual, int times) {
        List<String[]> items = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            items.add(new String[] {model, predicted, actual});
        }
        return items;
    }

    /**
     * Intent's eight items (rows actual, columns predicted; billing, tech, sales, refunds):
     * <pre>
     *   billing  3 1 0 0
     *   tech     0 2 1 0
     *   sales    0 0 0 0     no feedback: recall undefined, the row unshaded
     *   refunds  1 0 0 0     never predicted: precision undefined
     * </pre>
     * and fraud's ten binary items: 3 true positives, 1 false negative, 1 false positive, 5 true negatives.
     */
    private void feedIntentAndFraud() {
        List<String[]> batch = new ArrayList<>();
        batch.addAll(items("intent", "billing", "billing", 3));
        batch.addAll(items("intent", "tech", "billing", 1));
        batch.addAll(items("intent", "tech", "tech", 2));
        batch.addAll(items("intent", "sales", "tech", 1));
        batch.addAll(items("intent", "billing", "refunds", 1));
        post(batch);
        List<String[]> fraud = new ArrayList<>();
        fraud.addAll(items("fraud", "1", "1", 3));
        fraud.addAll(items("fraud", "0", "1", 1));
        fraud.addAll(items("fraud", "1", "0", 1));
        fraud.addAll(items("fraud", "0", "0", 5));
        postBinary(fraud);
    }

    /** As {@link #post}, with the binary values 0 and 1 as JSON integers. */
    private void postBinary(List<String[]> items) {
        ArrayNode batch = JSON.createArrayNode();
        for (String[] item : items) {
            batch.addObject().put("model", item[0]).put("prediction", Integer.parseInt(item[1]))
                    .put("actual", Integer.parseInt(item[2]));
        }
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(page())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(batch))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The cells of a card's matrix, row by row: their text. */
    private List<String> cells(String card) {
        return browser.texts(card + " table.class-matrix tbody td");
    }

    /** The text of one cell of a card's per-class table: {@code value} is precision, recall, f1 or support. */
    private String perClass(String card, int c, String value) {
        return browser.text(card + " table.per-class tr[data-class='" + c + "'] td[data-value='" + value + "']");
    }

    /**
     * The relative luminance (0 black to 1 white) of a matrix cell's background as drawn on the white
     * card: 1 for an unshaded cell.
     */
    private double luminance(String card, int actual, int predicted) {
        String css = card + " table.class-matrix td[data-actual='" + actual + "'][data-predicted='" + predicted + "']";
        @SuppressWarnings("unchecked")
        List<Number> rgba = (List<Number>) browser.script("const e = document.querySelector(\"" + css + "\");"
                + " const m = getComputedStyle(e).backgroundColor.match(/[\\d.]+/g).map(Number);"
                + " return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];");
        double alpha = rgba.get(3).doubleValue();
        double[] linear = new double[3];
        for (int i = 0; i < 3; i++) {
            double channel = (rgba.get(i).doubleValue() * alpha + 255 * (1 - alpha)) / 255;
            linear[i] = channel <= 0.04045 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    }

    /** A cell's background's red minus green: positive for the wrong (red) shade, negative for the right (green) one. */
    private long redMinusGreen(String card, int actual, int predicted) {
        String css = card + " table.class-matrix td[data-actual='" + actual + "'][data-predicted='" + predicted + "']";
        return ((Number) browser.script("const m = getComputedStyle(document.querySelector(\"" + css + "\"))"
                + ".backgroundColor.match(/[\\d.]+/g).map(Number); return m[0] - m[1];")).longValue();
    }

    @Test
    void showsTheMatrixThePerClassTableAndTheAveragesOfAModelWithClassesBesideABinaryOne() {
        feedIntentAndFraud();

        browser.open(page());

        String intent = StatusPageBrowser.model("intent");
        browser.waitUntil("intent's matrix", () -> browser.count(intent + " table.class-matrix") == 1);
        assertThat(browser.text(intent + " .matrix-box h3")).isEqualTo("Confusion matrix (lifetime)");
        assertThat(browser.texts(intent + " table.class-matrix thead th[data-predicted]")).containsExactlyElementsOf(INTENT);
        assertThat(browser.texts(intent + " table.class-matrix tbody th[scope='row']")).containsExactlyElementsOf(INTENT);
        assertThat(cells(intent)).as("rows actual, columns predicted, in declared order").containsExactly(
                "3", "1", "0", "0",
                "0", "2", "1", "0",
                "0", "0", "0", "0",
                "1", "0", "0", "0");
        assertThat(browser.count(intent + " table.class-matrix td.diag")).isEqualTo(4);
        assertThat(browser.script("return Array.from(document.querySelectorAll(\"" + intent
                + " table.class-matrix td.diag\"), e => e.dataset.actual + e.dataset.predicted + ' '"
                + " + getComputedStyle(e).fontWeight + ' ' + (getComputedStyle(e).boxShadow !== 'none')).join(', ')"))
                .as("the diagonal framed and bold").isEqualTo("00 700 true, 11 700 true, 22 700 true, 33 700 true");
        assertThat(browser.script("return getComputedStyle(document.querySelector(\"" + intent
                + " table.class-matrix td[data-actual='0'][data-predicted='1']\")).boxShadow")).isEqualTo("none");
        assertThat(browser.script("return document.querySelector(\"" + intent
                + " table.class-matrix td[data-actual='0'][data-predicted='1']\").title"))
                .isEqualTo("actual billing, predicted tech: 1 of 4 (25.0% of the row)");

        // Shaded by the share of the row: billing 3/4 right, 1/4 wrong; tech 2/3 right, 1/3 wrong; refunds 1/1 wrong.
        double billingRight = luminance(intent, 0, 0);
        double billingAsTech = luminance(intent, 0, 1);
        double techRight = luminance(intent, 1, 1);
        double techAsSales = luminance(intent, 1, 2);
        double refundsAsBilling = luminance(intent, 3, 0);
        assertThat(billingRight).as("3/4 darker than 1/4").isLessThan(billingAsTech);
        assertThat(billingRight).as("3/4 darker than 2/3, both right").isLessThan(techRight);
        assertThat(refundsAsBilling).as("1/1 darker than 1/3, both wrong").isLessThan(techAsSales);
        assertThat(techAsSales).as("1/3 darker than 1/4, both wrong").isLessThan(billingAsTech);
        assertThat(billingAsTech).as("1/4 still shaded").isLessThan(0.95);
        assertThat(luminance(intent, 0, 2)).as("a zero of a row with feedback: unshaded").isEqualTo(1.0);
        for (int p = 0; p < 4; p++) {
            assertThat(luminance(intent, 2, p)).as("sales has no feedback: its row unshaded").isEqualTo(1.0);
        }
        assertThat(luminance(intent, 3, 3)).as("refunds never right: unshaded").isEqualTo(1.0);
        assertThat(redMinusGreen(intent, 0, 0)).as("right: green").isNegative();
        assertThat(redMinusGreen(intent, 1, 1)).as("right: green").isNegative();
        assertThat(redMinusGreen(intent, 0, 1)).as("wrong: red").isPositive();
        assertThat(redMinusGreen(intent, 3, 0)).as("wrong: red").isPositive();

        // Per class, by hand. Predicted: billing 4, tech 3, sales 1, refunds 0.
        assertThat(browser.text(intent + " .per-class-box h3")).isEqualTo("Per class (lifetime)");
        assertThat(browser.texts(intent + " table.per-class thead th")).containsExactly("Class", "Precision", "Recall", "F1", "Support");
        assertThat(browser.texts(intent + " table.per-class tbody th")).containsExactlyElementsOf(INTENT);
        // billing: 3 of 4 predicted, 3 of 4 actual; F1 6/8.
        assertThat(perClass(intent, 0, "precision")).isEqualTo("0.750");
        assertThat(perClass(intent, 0, "recall")).isEqualTo("0.750\n0.301 – 0.954");
        assertThat(perClass(intent, 0, "f1")).isEqualTo("0.750");
        assertThat(perClass(intent, 0, "support")).isEqualTo("4");
        // tech: 2 of 3, 2 of 3; F1 4/6.
        assertThat(perClass(intent, 1, "precision")).isEqualTo("0.667");
        assertThat(perClass(intent, 1, "recall")).isEqualTo("0.667\n0.208 – 0.939");
        assertThat(perClass(intent, 1, "f1")).isEqualTo("0.667");
        assertThat(perClass(intent, 1, "support")).isEqualTo("3");
        // sales: predicted once, wrongly; never actual: recall undefined, and no interval.
        assertThat(perClass(intent, 2, "precision")).isEqualTo("0.000");
        assertThat(perClass(intent, 2, "recall")).isEqualTo("n/a");
        assertThat(perClass(intent, 2, "f1")).isEqualTo("0.000");
        assertThat(perClass(intent, 2, "support")).isEqualTo("0");
        // refunds: never predicted: precision undefined; 0 of 1 actual.
        assertThat(perClass(intent, 3, "precision")).isEqualTo("n/a");
        assertThat(perClass(intent, 3, "recall")).isEqualTo("0.000\n0.000 – 0.793");
        assertThat(perClass(intent, 3, "f1")).isEqualTo("0.000");
        assertThat(perClass(intent, 3, "support")).isEqualTo("1");

        // The averages, per window: 5 of 8 right. Macro precision and recall over the 3 classes where
        // each is defined, (0.75 + 0.667 + 0) / 3; macro F1 over all 4, 1.417 / 4; weighted F1
        // (4 × 0.75 + 3 × 0.667) / 8; kappa (5/8 - 25/64) / (1 - 25/64) = 15/39; MCC (5 × 8 - 25) / (64 - 26) = 15/38.
        assertThat(browser.texts(intent + " table.metrics tbody th")).containsExactly("Accuracy", "Balanced accuracy",
                "Macro precision", "Macro recall", "Macro F1", "Weighted F1", "Cohen’s kappa", "MCC");
        for (String window : List.of("5m", "1h", "lifetime")) {
            assertThat(browser.metric("intent", window, "accuracy")).isEqualTo("0.625");
            assertThat(browser.metric("intent", window, "balanced_accuracy")).isEqualTo("0.472");
            assertThat(browser.metric("intent", window, "macro_precision")).isEqualTo("0.472");
            assertThat(browser.metric("intent", window, "macro_recall")).isEqualTo("0.472");
            assertThat(browser.metric("intent", window, "macro_f1")).isEqualTo("0.354");
            assertThat(browser.metric("intent", window, "weighted_f1")).isEqualTo("0.625");
            assertThat(browser.metric("intent", window, "cohen_kappa")).isEqualTo("0.385");
            assertThat(browser.metric("intent", window, "mcc")).isEqualTo("0.395");
            assertThat(browser.text(intent + " tr[data-metric='accuracy'] td[data-window='" + window + "'] .interval"))
                    .isEqualTo("0.306 – 0.863");
            assertThat(browser.count(intent + " tr[data-metric='macro_f1'] td[data-window='" + window + "'] .interval"))
                    .as("macro F1 has no interval").isZero();
        }
        assertThat(browser.text(intent + " thead th[data-window='lifetime']")).isEqualTo("Lifetime\nn = 8");
        assertThat(browser.text(intent + " td[data-baseline='accuracy']")).isEqualTo("0.600");
        assertThat(browser.text(intent + " td[data-baseline='macro_f1']")).isEqualTo("0.500");
        assertThat(browser.text(intent + " td[data-baseline='mcc']")).isEqualTo("–");
        assertThat(browser.text(intent + " .health")).as("0.306 is under 0.6, but 0.863 is not").isEqualTo("Healthy");
        assertThat(browser.count(intent + " table.confusion")).as("no 2×2 matrix").isZero();

        // The binary model beside it, as always: four metrics and its 2×2 matrix.
        String fraud = StatusPageBrowser.model("fraud");
        assertThat(browser.texts(fraud + " table.metrics tbody th")).containsExactly("Accuracy", "Precision", "Recall", "F1");
        assertThat(browser.metric("fraud", "lifetime", "accuracy")).isEqualTo("0.800");
        assertThat(browser.metric("fraud", "lifetime", "precision")).isEqualTo("0.750");
        assertThat(browser.metric("fraud", "lifetime", "recall")).isEqualTo("0.750");
        assertThat(browser.metric("fraud", "lifetime", "f1")).isEqualTo("0.750");
        assertThat(browser.text(fraud + " thead th[data-window='lifetime']")).isEqualTo("Lifetime\nn = 10");
        assertThat(browser.texts(fraud + " table.confusion td .count")).containsExactly("3", "1", "1", "5");
        assertThat(browser.texts(fraud + " table.confusion td .share")).containsExactly("30.0%", "10.0%", "10.0%", "50.0%");
        assertThat(browser.count(fraud + " .classes, " + fraud + " table.class-matrix, " + fraud + " table.per-class")).isZero();

        // A model with classes and no feedback yet: zeros, unshaded, every metric n/a.
        String topics = StatusPageBrowser.model("topics");
        assertThat(browser.text(topics + " .health")).isEqualTo("No feedback yet");
        assertThat(browser.metric("topics", "lifetime", "accuracy")).isEqualTo("n/a");
        assertThat(browser.metric("topics", "lifetime", "mcc")).isEqualTo("n/a");
        assertThat(perClass(topics, 0, "precision")).isEqualTo("n/a");
        assertThat(perClass(topics, 0, "support")).isEqualTo("0");
        assertThat(browser.count(topics + " table.class-matrix td.zero")).isEqualTo(32 * 32);
    }

    /**
     * Six scored items of intent (billing, tech, sales, refunds): {predicted, actual, the four
     * probabilities}. The predicted class's probability and whether it was right: 0.7 right, 0.5
     * wrong, 0.8 right, 0.6 right, 0.45 wrong, 0.6 right; so the reliability bins 0.4, 0.5, 0.6 (two),
     * 0.7 and 0.8.
     */
    private static final double[][] INTENT_SCORED = {
        {0, 0, 0.7, 0.1, 0.1, 0.1},
        {1, 0, 0.3, 0.5, 0.1, 0.1},
        {1, 1, 0.1, 0.8, 0.05, 0.05},
        {2, 2, 0.1, 0.1, 0.6, 0.2},
        {2, 3, 0.1, 0.1, 0.45, 0.35},
        {1, 1, 0.2, 0.6, 0.1, 0.1},
    };

    @Test
    void showsTheMacroScoreMetricsEachClassesRocAucAndTheReliabilityOfThePredictedClass() {
        ArrayNode batch = JSON.createArrayNode();
        ScoreTally expected = ScoreTally.ofClasses(INTENT.size());
        for (double[] item : INTENT_SCORED) {
            ObjectNode node = batch.addObject().put("model", "intent").put("prediction", INTENT.get((int) item[0]))
                    .put("actual", INTENT.get((int) item[1]));
            ObjectNode scores = node.putObject("scores");
            for (int c = INTENT.size() - 1; c >= 0; c--) {
                scores.put(INTENT.get(c), item[2 + c]);
            }
            expected.add((int) item[0], (int) item[1], java.util.Arrays.copyOfRange(item, 2, 6));
        }
        postJson(batch);
        ScoreCounts counts = expected.counts();

        browser.open(page());

        String intent = intent();
        browser.waitUntil("intent's score rows", () -> browser.count(intent + " tbody.scores") == 1);
        assertThat(browser.texts(intent + " tbody.scores th")).containsExactly("Scores", "Macro ROC AUC",
                "Macro average precision", "Log loss", "Brier score", "Calibration error (ECE)", "Scored feedback");
        assertThat(counts.rocAucInterval().defined()).isFalse();
        for (String window : List.of("5m", "1h", "lifetime")) {
            assertThat(browser.metric("intent", window, "roc_auc")).isEqualTo(StatusPageBrowser.fixed3(counts.rocAuc()));
            assertThat(browser.count(intent + " tr[data-metric='roc_auc'] td[data-window='" + window + "'] .interval"))
                    .as("refunds has one item: no interval of its AUC, so none of the average").isZero();
            assertThat(browser.metric("intent", window, "average_precision"))
                    .isEqualTo(StatusPageBrowser.fixed3(counts.averagePrecision()));
            assertThat(browser.metric("intent", window, "log_loss")).isEqualTo(StatusPageBrowser.fixed3(counts.logLoss()));
            assertThat(browser.metric("intent", window, "brier")).isEqualTo(StatusPageBrowser.fixed3(counts.brier()));
            assertThat(browser.metric("intent", window, "ece")).isEqualTo(StatusPageBrowser.fixed3(counts.calibrationError()));
            assertThat(browser.metric("intent", window, "scored")).isEqualTo("6");
        }
        // By hand: ECE (|1 - 0.7| + |0 - 0.5| + |1 - 0.8| + |2 - 1.2| + |0 - 0.45|) / 6.
        assertThat(browser.metric("intent", "lifetime", "ece")).isEqualTo(StatusPageBrowser.fixed3(2.25 / 6)).isEqualTo("0.375");

        assertThat(browser.texts(intent + " table.per-class thead th"))
                .containsExactly("Class", "Precision", "Recall", "F1", "Support", "ROC AUC", "Average precision");
        for (int c = 0; c < INTENT.size(); c++) {
            ConfidenceInterval interval = counts.rocAucInterval(c);
            assertThat(perClass(intent, c, "roc_auc")).as(INTENT.get(c)).isEqualTo(StatusPageBrowser.fixed3(counts.rocAuc(c))
                    + (interval.defined() ? "\n" + StatusPageBrowser.fixed3(interval.lower()) + " – "
                            + StatusPageBrowser.fixed3(interval.upper()) : ""));
            assertThat(perClass(intent, c, "average_precision")).as(INTENT.get(c))
                    .isEqualTo(StatusPageBrowser.fixed3(counts.averagePrecision(c)));
        }
        // tech, by hand: its two items give it 0.8 and 0.6, the other four 0.1, 0.5, 0.1 and 0.1:
        // both rank above all four.
        assertThat(perClass(intent, 1, "roc_auc")).startsWith("1.000\n");

        String reliability = intent + " [data-reliability]";
        assertThat(browser.text(reliability + " .u-title")).isEqualTo("Reliability, lifetime: right predictions by the"
                + " predicted class\u2019s mean probability, per bin (dashed: calibrated)");
        assertThat(browser.texts(reliability + " table.reliability td[data-value='n']"))
                .containsExactly("0", "0", "0", "0", "1", "1", "2", "1", "1", "0");
        assertThat(browser.texts(reliability + " table.reliability td[data-value='mean_score']"))
                .containsExactly("–", "–", "–", "–", "0.450", "0.500", "0.600", "0.700", "0.800", "–");
        assertThat(browser.texts(reliability + " table.reliability td[data-value='observed']"))
                .containsExactly("–", "–", "–", "–", "0.000", "0.000", "1.000", "1.000", "1.000", "–");
        assertThat(browser.count(reliability + " canvas")).isEqualTo(1);
        assertThat(browser.count(StatusPageBrowser.model("fraud") + " [data-reliability]:not([hidden])"))
                .as("fraud sent no score").isZero();
        assertThat(browser.count(StatusPageBrowser.model("topics") + " tbody.scores")).isZero();
    }

    /** Posts a batch as it is and checks that all of it was counted. */
    private void postJson(ArrayNode batch) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(page())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(batch))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("recorded").asInt()).isEqualTo(batch.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void updatesTheMatrixWithoutAReload() {
        feedIntentAndFraud();
        browser.open(page());
        String intent = StatusPageBrowser.model("intent");
        browser.script("window.stillTheSamePage = true;");

        post(items("intent", "sales", "sales", 2));

        browser.waitUntil("sales to show two right", () -> "2".equals(cells(intent).get(10)));
        assertThat(cells(intent).subList(8, 12)).containsExactly("0", "0", "2", "0");
        assertThat(perClass(intent, 2, "precision")).as("2 of 3 predicted").isEqualTo("0.667");
        assertThat(perClass(intent, 2, "recall")).isEqualTo("1.000\n0.342 – 1.000");
        assertThat(browser.metric("intent", "lifetime", "accuracy")).isEqualTo("0.700");
        assertThat(luminance(intent, 2, 2)).as("sales all right: shaded now").isLessThan(luminance(intent, 0, 0));
        assertThat(browser.script("return window.stillTheSamePage === true")).isEqualTo(true);
    }

    @Test
    void insertsClassLabelsAsTextNeverAsMarkup() {
        List<String[]> batch = new ArrayList<>();
        batch.addAll(items("tickets", IMG, IMG, 2));
        batch.addAll(items("tickets", QUOTES, IMG, 1));
        batch.addAll(items("tickets", SCRIPT, QUOTES, 1));
        batch.addAll(items("tickets", SCRIPT, SCRIPT, 1));
        post(batch);

        browser.open(page());

        String tickets = StatusPageBrowser.model("tickets");
        List<String> labels = List.of(IMG, QUOTES, SCRIPT);
        assertThat(browser.texts(tickets + " table.class-matrix thead th[data-predicted]")).containsExactlyElementsOf(labels);
        assertThat(browser.texts(tickets + " table.class-matrix tbody th")).containsExactlyElementsOf(labels);
        assertThat(browser.texts(tickets + " table.per-class tbody th")).containsExactlyElementsOf(labels);
        assertThat(cells(tickets)).containsExactly("2", "1", "0", "0", "0", "1", "0", "0", "1");
        assertThat(browser.script("return document.querySelector(\"" + tickets
                + " table.class-matrix td[data-actual='1'][data-predicted='2']\").title"))
                .isEqualTo("actual " + QUOTES + ", predicted " + SCRIPT + ": 1 of 1 (100.0% of the row)");
        assertThat(browser.script("return document.querySelector(\"" + tickets
                + " table.per-class tr[data-class='1'] th\").title")).isEqualTo(QUOTES);
        assertThat(perClass(tickets, 0, "recall")).isEqualTo("0.667\n0.208 – 0.939");
        assertThat(perClass(tickets, 2, "precision")).isEqualTo("0.500");
        assertThat(browser.count("#models img, #models script")).isZero();
        assertThat(browser.count(tickets + " table.class-matrix tbody tr")).as("no row or cell made by markup").isEqualTo(3);
        assertThat(browser.count(tickets + " table.class-matrix tbody td")).isEqualTo(9);
        assertThat(browser.script("return typeof window.injected")).isEqualTo("undefined");
    }

    /** Topic a: right a % 4 + 1 times, taken for the next topic once. */
    private void feedTopics() {
        List<String[]> batch = new ArrayList<>();
        for (int a = 0; a < 32; a++) {
            batch.addAll(items("topics", TOPICS.get(a), TOPICS.get(a), a % 4 + 1));
            batch.addAll(items("topics", TOPICS.get((a + 1) % 32), TOPICS.get(a), 1));
        }
        post(batch);
    }

    @Test
    void keepsThirtyTwoClassesReadable() {
        feedTopics();

        browser.open(page());

        String topics = StatusPageBrowser.model("topics");
        List<String> expected = new ArrayList<>();
        for (int a = 0; a < 32; a++) {
            for (int p = 0; p < 32; p++) {
                expected.add(String.valueOf(p == a ? a % 4 + 1 : p == (a + 1) % 32 ? 1 : 0));
            }
        }
        assertThat(cells(topics)).containsExactlyElementsOf(expected);
        assertThat(browser.texts(topics + " table.class-matrix thead th[data-predicted]")).containsExactlyElementsOf(TOPICS);
        assertThat(browser.script("return document.querySelector(\"" + topics + " table.class-matrix\").className"))
                .as("labels upwards, small cells").isEqualTo("class-matrix vertical compact");
        assertThat(browser.script("return document.querySelector(\"" + intent() + " table.class-matrix\").className"))
                .as("four short labels: as they are").isEqualTo("class-matrix");
        // Topic 3: right 4 of 5 (darker) vs topic 0, right 1 of 2.
        assertThat(luminance(topics, 3, 3)).isLessThan(luminance(topics, 0, 0));
        assertThat(luminance(topics, 0, 1)).as("1 of 2 wrong darker than 1 of 5 wrong").isLessThan(luminance(topics, 3, 4));

        String longHeader = topics + " table.class-matrix thead th[data-predicted='7']";
        assertThat(browser.text(longHeader)).as("the whole label, cut only on screen").isEqualTo(TOPICS.get(7));
        assertThat(browser.script("return document.querySelector(\"" + longHeader + "\").title")).isEqualTo("predicted " + TOPICS.get(7));
        assertThat(browser.script("const e = document.querySelector(\"" + longHeader + " .label\");"
                + " return e.scrollHeight > e.clientHeight")).as("cut with an ellipsis").isEqualTo(true);
        assertThat(browser.script("return getComputedStyle(document.querySelector(\"" + topics
                + " table.class-matrix tbody th\")).position")).as("row labels stay in view").isEqualTo("sticky");
        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("the page itself never scrolls sideways").isEqualTo(true);
        List<Number> cell = browser.box(topics + " table.class-matrix td[data-actual='0'][data-predicted='0']");
        assertThat(cell.get(2).doubleValue()).as("compact cells").isLessThan(40);
        assertThat(cell.get(3).doubleValue()).isLessThan(30);

        browser.resize(420, 900);
        browser.waitUntil("a phone's layout", () -> Boolean.TRUE.equals(
                browser.script("return document.documentElement.scrollWidth <= window.innerWidth")));
        assertThat(browser.script("const e = document.querySelector(\"" + topics + " .matrix-box .scroll\");"
                + " return e.scrollWidth > e.clientWidth")).as("the matrix scrolls inside its card").isEqualTo(true);
        assertThat(browser.screenshot(Path.of("target", "status-page-classes-phone.png"), 420)).isNotEmptyFile();
    }

    private static String intent() {
        return StatusPageBrowser.model("intent");
    }

    @Test
    void makesNoRequestToAnotherOrigin() {
        feedIntentAndFraud();
        browser.open(page());
        browser.waitForRefreshes(2);

        String origin = base.toString();
        assertThat(browser.fetched()).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin));
        assertThat(browser.count(intent() + " table.class-matrix td")).isEqualTo(16);
    }

    /**
     * The picture of models with classes: intent in two versions side by side (v1 takes refunds for
     * billing, v2 mostly right), 12 topics (a compact matrix with a long label), below the binary
     * fraud model; an hour of feedback, a batch every 90 seconds, drawn from a seeded random source.
     */
    @Test
    void writesAScreenshot() throws LifecycleException {
        ManualWindowClock hour = WindowClock.manual(Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)));
        List<String> topics = TOPICS.subList(0, 12);
        ModelSet pictured = ModelSet.builder(new SimpleMeterRegistry())
                .eachModel(recorder -> recorder.clock(hour))
                .model("fraud", "v3", recorder -> recorder.baseline(Baseline.parse("accuracy=0.8")))
                .model("intent", "v1", recorder -> recorder.baseline(Baseline.parse("accuracy=0.8,macro_f1=0.7")))
                .model("intent", "v2", recorder -> recorder.baseline(Baseline.parse("accuracy=0.8,macro_f1=0.7")))
                .model("topics", "v1")
                .classes("intent", INTENT)
                .classes("topics", topics)
                .defaultModel("fraud")
                .build();
        Random random = new Random(7);
        try (TomcatServer other = new TomcatServer(tomcatBase.resolve("pictured"), new FeedbackServlet(pictured))) {
            base = other.base();
            for (int step = 0; step < 40; step++) {
                hour.advance(Duration.ofSeconds(90));
                List<String[]> fraud = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    int actual = random.nextInt(2);
                    fraud.add(new String[] {"fraud", String.valueOf(random.nextDouble() < 0.85 ? actual : 1 - actual),
                        String.valueOf(actual)});
                }
                postBinary(fraud);
                List<String[]> batch = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    // Actual: billing 40%, tech 30%, sales 20%, refunds 10%.
                    double draw = random.nextDouble();
                    int actual = draw < 0.4 ? 0 : draw < 0.7 ? 1 : draw < 0.9 ? 2 : 3;
                    int v1 = actual == 3 && random.nextDouble() < 0.6 ? 0
                            : random.nextDouble() < 0.8 ? actual : random.nextInt(4);
                    int v2 = random.nextDouble() < 0.9 ? actual : random.nextInt(4);
                    batch.add(new String[] {"intent", INTENT.get(v1), INTENT.get(actual), "v1"});
                    batch.add(new String[] {"intent", INTENT.get(v2), INTENT.get(actual), "v2"});
                }
                for (int i = 0; i < 8; i++) {
                    int actual = random.nextInt(topics.size());
                    int predicted = random.nextDouble() < 0.75 ? actual
                            : (actual + 1 + random.nextInt(2)) % topics.size();
                    batch.add(new String[] {"topics", topics.get(predicted), topics.get(actual)});
                }
                post(batch);
            }
            browser.open(page());
            browser.waitUntil("intent's two versions", () -> browser.count("[data-model-group='intent'].versions table.class-matrix") == 2);
            assertThat(browser.count(StatusPageBrowser.model("topics") + " table.class-matrix.compact td")).isEqualTo(144);
            assertThat(browser.count(StatusPageBrowser.model("fraud") + " table.confusion td")).isEqualTo(4);

            assertThat(browser.screenshot(SCREENSHOT)).isNotEmptyFile();
        }
    }
}
