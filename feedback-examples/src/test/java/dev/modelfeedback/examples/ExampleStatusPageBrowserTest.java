package dev.modelfeedback.examples;

import static dev.modelfeedback.examples.FeedbackSimulatorTest.SEED_CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.servlet.page.StatusPageBrowser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example server on Jetty, as a newcomer sees it after {@code demo}: its page in a real headless Chromium. */
class ExampleStatusPageBrowserTest {

    private ExampleServer server;
    private StatusPageBrowser browser;

    @BeforeEach
    void start() throws Exception {
        browser = new StatusPageBrowser();
        server = ExampleServer.start(ExampleServer.Options.DEFAULT.withPort(0).withBaseline(Baseline.parse("accuracy=0.9")));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void showsTheSeedsMetricsAfterTheSimulatorReplaysItAndFollowsNewFeedback() throws Exception {
        URI feedback = server.uri().resolve("/feedback");
        int failures = new FeedbackSimulator(feedback, ModelTarget.DEFAULT, Duration.ZERO,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), SEED_CLOCK).run(2);
        assertThat(failures).isZero();

        browser.open(feedback);

        String model = StatusPageBrowser.model("default");
        assertThat(browser.text(model + " h2")).isEqualTo("default");
        assertThat(browser.metric("default", "lifetime", "accuracy")).isEqualTo("0.850");
        assertThat(browser.metric("default", "lifetime", "precision")).isEqualTo("0.900");
        assertThat(browser.metric("default", "lifetime", "recall")).isEqualTo("0.818");
        assertThat(browser.metric("default", "lifetime", "f1")).isEqualTo("0.857");
        assertThat(browser.metric("default", "5m", "accuracy")).isEqualTo("0.850");
        assertThat(browser.text(model + " td[data-baseline='accuracy']")).isEqualTo("0.900");
        assertThat(browser.text(model + " .health")).isEqualTo("Healthy");
        assertThat(browser.count(model + " .reasons li")).isZero();
        assertThat(browser.text(model + " .chart .u-title")).as("a server just started: its 5-minute window reaches back to its start")
                .isEqualTo("Accuracy per 10-second bucket, last 5m (band: 95% interval; dashed: baseline)");
        assertThat(browser.legend(model)).as("the latest bucket with feedback, without hovering").satisfiesExactly(
                time -> assertThat(time).matches("Time \\d\\d:\\d\\d:\\d\\d"),
                accuracy -> assertThat(accuracy).matches("Accuracy [01]\\.\\d{3}"),
                low -> assertThat(low).matches("95% low [01]\\.\\d{3}"),
                high -> assertThat(high).matches("95% high [01]\\.\\d{3}"),
                baseline -> assertThat(baseline).isEqualTo("Baseline 0.900"));
        browser.script("window.stillTheSamePage = true;");

        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(feedback)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prediction\":1,\"actual\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
        }

        browser.waitForMetric("default", "lifetime", "accuracy", "0.880");
        assertThat(browser.script("return window.stillTheSamePage === true")).isEqualTo(true);
        String origin = server.uri().toString();
        assertThat(browser.fetched()).allSatisfy(url -> assertThat(url).startsWith(origin));
    }
}
