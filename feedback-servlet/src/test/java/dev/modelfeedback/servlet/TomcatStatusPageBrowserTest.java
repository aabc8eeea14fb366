package dev.modelfeedback.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.Baseline;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.SeedReplay;
import dev.modelfeedback.core.window.ManualWindowClock;
import dev.modelfeedback.core.window.WindowClock;
import dev.modelfeedback.servlet.page.AcceptHeader;
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
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real headless Chromium, served by the servlet on real Tomcat. The seed's
 * replay is spread over the last hour of a manual clock, so that the chart has a point per bucket.
 */
class TomcatStatusPageBrowserTest {

    /** Where the screenshot of the page after the seed's replay is written. */
    static final Path SCREENSHOT = Path.of("target", "status-page.png");

    private final ManualWindowClock clock = WindowClock.manual(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1)));
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
        assertThat(browser.texts(fraud + " table.confusion td .count")).containsExactly("18", "4", "2", "16");
        assertThat(browser.texts(fraud + " table.confusion td .share")).containsExactly("45.0%", "10.0%", "5.0%", "40.0%");
        assertThat(browser.text(fraud + " li[data-detector='hddm_a']")).isEqualTo("stable hddm_a no drift detected");
        assertThat(browser.count(fraud + " [data-joins]")).as("no joins in use").isZero();
        assertThat(browser.count(fraud + " .chart canvas")).isEqualTo(1);
        assertThat(browser.text(fraud + " .chart .u-title"))
                .isEqualTo("Accuracy per 2-minute bucket, last 1h (band: 95% interval; dashed: baseline)");
        assertThat(browser.text(StatusPageBrowser.model("churn") + " .health")).isEqualTo("No feedback yet");
    }

    /** The README's picture: the seed's replay, and a second model doing badly against its baseline. */
    @Test
    void writesAScreenshotAfterTheSeedsReplay() {
        replayTheSeedOverTheLastHour();
        feedChurnHalfRight();
        browser.open(page());

        browser.waitForMetric("fraud", "lifetime", "accuracy", "0.850");
        browser.waitForMetric("churn", "lifetime", "accuracy", "0.500");

        assertThat(browser.screenshot(SCREENSHOT)).isNotEmptyFile();
    }

    /** 40 feedbacks for churn, half right: accuracy 0.500, far under its baseline of 0.95. */
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
        assertThat(browser.text(churn + " .health")).isEqualTo("Below baseline: accuracy, recall");
        assertThat(browser.script("return document.querySelector(\"" + churn + "\").className")).isEqualTo("model alarm");
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
    void showsPendingPredictionsAndUnmatchedFeedbackOnceIdsAreInUse() {
        http.post("[{\"id\":\"a\",\"prediction\":1},{\"id\":\"b\",\"prediction\":0},{\"id\":\"c\",\"prediction\":1}]");
        http.post("{\"id\":\"a\",\"actual\":1}");
        http.post("{\"id\":\"never-predicted\",\"actual\":0}");

        browser.open(page());

        String fraud = StatusPageBrowser.model("fraud");
        assertThat(browser.text(fraud + " [data-pending]")).isEqualTo("2");
        assertThat(browser.texts(fraud + " [data-unmatched]"))
                .containsExactly("Unmatched, unknown: 1", "Unmatched, expired: 0", "Unmatched, evicted: 0");
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

    /** Markup where the page shows names, tags and times: it must appear as text, and nothing may run. */
    private static final String MARKUP = "<img src=x onerror=\"window.injected=1\">";

    @Test
    void insertsEveryValueAsTextNeverAsMarkup() throws Exception {
        // Model names cannot hold markup (letters, digits and . _ - + : only), so a servlet in front
        // of the real one answers the page's JSON requests with markup in every string the page shows.
        try (TomcatContainer other = new TomcatContainer()) {
            URI hostile = other.start(new HostileJsonServlet(new FeedbackServlet(models))).resolve("/feedback");
            browser.open(hostile);

            String card = "section.model";
            assertThat(browser.text(card + " h2")).isEqualTo(MARKUP);
            assertThat(browser.text(card + " .version")).isEqualTo("<script>window.injected=2</script>");
            assertThat(browser.text(card + " thead th[data-window]")).isEqualTo("Last <b>5m</b>\nn = 10");
            assertThat(browser.text(card + " li[data-detector]")).isEqualTo("stable <i>x</i> no drift detected");
            assertThat(browser.count("#models img, #models script, #models b, #models i")).isZero();
            assertThat(browser.script("return typeof window.injected")).isEqualTo("undefined");
        }
    }

    /** Serves the real page and its assets, and hostile JSON in place of the real status. */
    private static final class HostileJsonServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient FeedbackServlet real;

        HostileJsonServlet(FeedbackServlet real) {
            this.real = real;
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
            String name = Http.JSON.writeValueAsString(MARKUP);
            String version = Http.JSON.writeValueAsString("<script>window.injected=2</script>");
            String json = request.getParameter("history") != null
                    ? "{\"models\":[{\"model\":" + name + ",\"model_version\":" + version + ",\"window\":\"<b>1h</b>\","
                            + "\"window_seconds\":3600,\"bucket_seconds\":120,\"buckets\":[{\"start\":\"2026-01-01T00:00:00Z\","
                            + "\"end\":\"2026-01-01T00:02:00Z\",\"feedbacks\":10,\"accuracy\":0.8,\"interval\":[0.49,0.94]}]}]}"
                    : "{\"models\":[{\"model\":" + name + ",\"model_version\":" + version + ","
                            + "\"metrics\":{\"accuracy\":0.8,\"precision\":0.8,\"recall\":0.8,\"f1\":0.8},"
                            + "\"counts\":{\"true_positives\":4,\"true_negatives\":4,\"false_positives\":1,\"false_negatives\":1},"
                            + "\"windows\":{\"<b>5m</b>\":{\"metrics\":{\"accuracy\":0.8,\"precision\":0.8,\"recall\":0.8,\"f1\":0.8},"
                            + "\"counts\":{\"true_positives\":4,\"true_negatives\":4,\"false_positives\":1,\"false_negatives\":1},"
                            + "\"intervals\":{\"accuracy\":[0.49,0.94],\"precision\":[0.37,0.96],\"recall\":[0.37,0.96]}}},"
                            + "\"pending\":0,\"unmatched\":{\"unknown\":0,\"expired\":0,\"evicted\":0},"
                            + "\"drift\":{\"<i>x</i>\":{\"state\":\"STABLE\",\"detected\":0,\"warnings\":0,"
                            + "\"last_drift_at\":null,\"last_drift_feedback\":null}}}]}";
            response.setContentType("application/json;charset=UTF-8");
            response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        }
    }
}
