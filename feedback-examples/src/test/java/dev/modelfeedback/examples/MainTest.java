package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.model.ModelId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class MainTest {

    @Test
    void parsesServeOptions() {
        Main.Arguments parsed = Main.Arguments.parse(new String[] {
            "serve", "--port", "9090", "--host", "0.0.0.0", "--model", "fraud@v3", "--model", "churn", "--noop"});

        assertThat(parsed.command()).isEqualTo("serve");
        assertThat(parsed.server()).isEqualTo(new ExampleServer.Options("0.0.0.0", 9090,
                List.of(new ModelId("fraud", "v3"), ModelId.of("churn")), true, Baseline.NONE, Map.of(), 0, null,
                1_000_000, java.time.Duration.ofHours(24), null, null, null, false, Map.of()));
    }

    @Test
    void parsesTheClassesOfEachModel() {
        ExampleServer.Options options = Main.Arguments.parse(new String[] {
            "serve", "--model", "intent@v2", "--model", "fraud", "--classes", "intent:billing,tech,sales",
            "--baseline", "intent:accuracy=0.9,macro_f1=0.8"}).server();

        assertThat(options.classes()).isEqualTo(Map.of("intent", List.of("billing", "tech", "sales")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        --classes intent                                       | --classes must be MODEL:LABEL,LABEL[,LABEL...], got 'intent'
        --classes intent:                                      | --classes must be MODEL:LABEL,LABEL[,LABEL...], got 'intent:'
        --classes churn:a,b                                    | --classes names model 'churn', which is not served; served: intent@v2
        --classes intent:a,b,a                                 | --classes of model 'intent': class 'a' is declared twice
        --classes intent:a,,b                                  | --classes of model 'intent': a class label must not be empty
        --classes intent:solo                                  | --classes of model 'intent': classes must be 2 to 32 labels, got 1
        --classes intent:a,b --classes intent:c,d              | --classes for model 'intent' is given twice
        --classes intent:a,b --baseline intent:precision=0.9   | --baseline: a baseline of model intent@v2 may set accuracy, macro_f1, roc_auc, log_loss, not precision (it declares classes)
        --baseline macro_f1=0.9                                | --baseline: a baseline of model intent@v2 may set accuracy, precision, recall, f1, roc_auc, log_loss, not macro_f1
        """)
    void refusesBadClassesClearly(String options, String error) {
        List<String> args = new java.util.ArrayList<>(List.of("serve", "--model", "intent@v2"));
        args.addAll(List.of(options.split(" ")));

        assertThatThrownBy(() -> Main.Arguments.parse(args.toArray(String[]::new)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(error);
    }

    @Test
    void parsesTheTokenFileAndWhetherMetricsNeedATokenToo() {
        ExampleServer.Options writes = Main.Arguments.parse(new String[] {"serve", "--auth-token-file", "tokens"}).server();
        ExampleServer.Options all = Main.Arguments.parse(new String[] {
            "serve", "--auth-token-file", "/etc/model-feedback/tokens", "--auth-metrics"}).server();

        assertThat(writes.authTokenFile()).isEqualTo(java.nio.file.Path.of("tokens"));
        assertThat(writes.authMetrics()).isFalse();
        assertThat(all.authTokenFile()).isEqualTo(java.nio.file.Path.of("/etc/model-feedback/tokens"));
        assertThat(all.authMetrics()).isTrue();
        assertThat(Main.Arguments.parse(new String[] {"serve"}).server().authTokenFile()).isNull();
    }

    /** A token file that cannot be used is one line on the error stream, naming the file and the line; exit status 1. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "missing                      | cannot read token file 'FILE': no such file",
        "''                           | token file 'FILE' holds no token, only blank lines and # comments; put one bearer token on each line",
        "\"# ops\\nright-token-0123456789\\nwrong token 0123456789\" | line 3 of token file 'FILE': the token holds whitespace at column 6; a token is letters, digits and -._~+/, then optionally = padding (RFC 6750)",
        "short                        | line 1 of token file 'FILE': the token is 5 characters long; it must have at least 16, or it can be guessed",
    })
    void aTokenFileThatCannotBeUsedIsOneLine(String content, String message, @org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("tokens");
        if (!content.equals("missing")) {
            java.nio.file.Files.writeString(file, content.equals("''") ? "" : content.replace("\\n", "\n"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"serve", "--port", "0", "--auth-token-file", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("error: --auth-token-file: " + message.replace("FILE", file.toString()) + "\n")
                .doesNotContain("0123456789");
    }

    @Test
    void parsesTheStoreAndRefusesCredentialsInIt() {
        assertThat(Main.Arguments.parse(new String[] {"serve", "--store", "redis://10.0.0.7:6380/2"}).server().store())
                .isEqualTo("redis://10.0.0.7:6380/2");
        assertThat(Main.Arguments.parse(new String[] {"demo", "--store", "redis://127.0.0.1"}).server().store())
                .isEqualTo("redis://127.0.0.1");
        assertThatThrownBy(() -> Main.Arguments.parse(new String[] {"serve", "--store", "redis://user:secret@host:6379"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> Main.Arguments.parse(new String[] {"serve", "--store", "http://host"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Main.Arguments.parse(new String[] {"simulate", "--store", "redis://host"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown argument '--store' for simulate");
    }

    @Test
    void parsesBaselinesForEveryModelAndForOne() {
        Main.Arguments parsed = Main.Arguments.parse(new String[] {"serve", "--model", "team:fraud@v3",
            "--baseline", "accuracy=0.9", "--baseline", "team:fraud:accuracy=0.95,f1=0.7"});

        assertThat(parsed.server().baseline()).isEqualTo(Baseline.parse("accuracy=0.9"));
        assertThat(parsed.server().modelBaselines()).containsExactly(
                Map.entry("team:fraud", Baseline.parse("accuracy=0.95,f1=0.7")));
        assertThat(Main.Arguments.parse(new String[] {"serve", "--baseline-from-first", "500"}).server()
                .baselineFromFirst()).isEqualTo(500);
    }

    @Test
    void parsesBaselinesOfTheScoreMetricsForEitherKindOfModel() {
        ExampleServer.Options options = Main.Arguments.parse(new String[] {"serve", "--model", "risk@v1", "--model",
            "intent@v2", "--classes", "intent:billing,tech,sales", "--baseline", "roc_auc=0.9,log_loss=0.3",
            "--baseline", "risk:accuracy=0.85,roc_auc=0.92,log_loss=1.2"}).server();

        assertThat(options.baseline()).isEqualTo(Baseline.of(Map.of(Metric.ROC_AUC, 0.9, Metric.LOG_LOSS, 0.3)));
        assertThat(options.baselineOf(new ModelId("risk", "v1"))).isEqualTo(Baseline.of(
                Map.of(Metric.ACCURACY, 0.85, Metric.ROC_AUC, 0.92, Metric.LOG_LOSS, 1.2)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.printBaselines(options, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "Baseline of every model: roc_auc 0.9, log_loss 0.3",
                "Baseline of risk: accuracy 0.85, roc_auc 0.92, log_loss 1.2");
    }

    @Test
    void parsesTheDriftScenarioAndDetectors() {
        Main.Arguments simulate = Main.Arguments.parse(new String[] {"simulate", "--scenario", "drift", "--seed", "9",
            "--rates", "0.05,0.2", "--lengths", "300,400"});
        Main.Arguments serve = Main.Arguments.parse(new String[] {"serve", "--drift-detectors", "adwin,ddm"});

        assertThat(simulate.scenario()).isEqualTo("drift");
        assertThat(simulate.drift()).isEqualTo(new DriftScenario.Settings(9, 0.05, 0.2, 300, 400));
        assertThat(serve.server().driftDetectors()).containsExactly("adwin", "ddm");
        assertThat(Main.Arguments.parse(new String[] {"serve", "--drift-detectors", "none"}).server().driftDetectors())
                .isEmpty();
        assertThat(Main.Arguments.parse(new String[] {"serve"}).server().driftDetectors()).isNull();
        assertThat(Main.Arguments.parse(new String[] {"demo"}).server().driftDetectors())
                .containsExactlyElementsOf(dev.modelfeedback.core.drift.DriftDetector.NAMES);
        assertThat(Main.Arguments.parse(new String[] {"simulate"}).scenario()).isEqualTo("seed");
    }

    @Test
    void parsesThePendingStoreSettings() {
        ExampleServer.Options options = Main.Arguments.parse(new String[] {"serve", "--pending-capacity", "5000",
            "--pending-ttl", "90s"}).server();

        assertThat(options.pendingCapacity()).isEqualTo(5000);
        assertThat(options.pendingTtl()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(Main.Arguments.parse(new String[] {"serve", "--pending-ttl", "7d"}).server().pendingTtl())
                .isEqualTo(java.time.Duration.ofDays(7));
        assertThat(Main.Arguments.parse(new String[] {"simulate", "--scenario", "delayed"}).scenario()).isEqualTo("delayed");
    }

    @Test
    void parsesTheScoresScenarioWithItsSeedAndModel() {
        Main.Arguments parsed = Main.Arguments.parse(new String[] {"simulate", "--scenario", "scores", "--seed", "7",
            "--model", "risk@v1"});

        assertThat(parsed.scenario()).isEqualTo("scores");
        assertThat(parsed.drift().seed()).isEqualTo(7);
        assertThat(parsed.simulatedModel()).isEqualTo(new ModelTarget("risk", "v1"));
    }

    @Test
    void demoHoldsTheModelAgainstABaselineUnlessToldOtherwise() {
        assertThat(Main.Arguments.parse(new String[] {"demo"}).server().baseline()).isEqualTo(Main.DEMO_BASELINE);
        assertThat(Main.Arguments.parse(new String[] {"demo", "--baseline-from-first", "10"}).server().baseline())
                .isEqualTo(Baseline.NONE);
        assertThat(Main.Arguments.parse(new String[] {"serve"}).server().baseline()).isEqualTo(Baseline.NONE);
    }

    @Test
    void demoServesAModelPerScenarioWithTheChallengerBesideItsChampion() {
        ExampleServer.Options demo = Main.Arguments.parse(new String[] {"demo"}).server();

        assertThat(demo.models()).containsExactly(new ModelId("seed", "v1"), new ModelId("ranker", "v1"),
                new ModelId("ranker", "v2"), new ModelId("fraud", "v1"), new ModelId("intent", "v1"),
                new ModelId("risk", "v1"));
        assertThat(demo.predictModel()).isEqualTo("fraud@v1");
        assertThat(demo.classes()).isEqualTo(Map.of("intent", List.of("billing", "tech", "sales", "account")));
    }

    @Test
    void parsesVersionsSideBySideWithABaselineOfTheirOwn() {
        ExampleServer.Options options = Main.Arguments.parse(new String[] {"serve", "--model", "fraud@v3", "--model",
            "fraud@v4", "--baseline", "fraud:accuracy=0.9", "--baseline", "fraud@v4:accuracy=0.95",
            "--predict-model", "fraud@v4"}).server();

        assertThat(options.models()).containsExactly(new ModelId("fraud", "v3"), new ModelId("fraud", "v4"));
        assertThat(options.baselineOf(new ModelId("fraud", "v3"))).isEqualTo(Baseline.parse("accuracy=0.9"));
        assertThat(options.baselineOf(new ModelId("fraud", "v4"))).isEqualTo(Baseline.parse("accuracy=0.95"));
        assertThat(options.predictModel()).isEqualTo("fraud@v4");
    }

    /** A port that is taken is one line on the error stream, saying how to choose another; exit status 1. */
    @Test
    void aPortInUseIsOneLineSayingHowToChooseAnother() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = Main.run(new String[] {"serve", "--port", Integer.toString(taken.getLocalPort())},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(status).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": the port is already in use; choose another with --port N (--port 0 takes"
                    + " any free port)\n");
        }
    }

    @Test
    void servesOnLoopbackPort8080ByDefault() {
        Main.Arguments parsed = Main.Arguments.parse(new String[0]);
        assertThat(parsed.command()).isEqualTo("serve");
        assertThat(parsed.server()).isEqualTo(ExampleServer.Options.DEFAULT);
    }

    @Test
    void parsesSimulateOptions() {
        Main.Arguments parsed = Main.Arguments.parse(new String[] {
            "simulate", "--url", "http://127.0.0.1:9000/feedback", "--delay-ms", "0", "--runs", "4", "--model", "fraud"});

        assertThat(parsed.command()).isEqualTo("simulate");
        assertThat(parsed.url()).isEqualTo(URI.create("http://127.0.0.1:9000/feedback"));
        assertThat(parsed.delay()).isEqualTo(Duration.ZERO);
        assertThat(parsed.runs()).isEqualTo(4);
        assertThat(parsed.simulatedModel()).isEqualTo(new ModelTarget("fraud", null));
        assertThat(Main.Arguments.parse(new String[] {"simulate", "--model", "fraud@v4"}).simulatedModel())
                .isEqualTo(new ModelTarget("fraud", "v4"));
    }

    @Test
    void simulateDefaultsToTheSeedsPace() {
        Main.Arguments parsed = Main.Arguments.parse(new String[] {"simulate"});
        assertThat(parsed.url()).isEqualTo(URI.create("http://localhost:8080/feedback"));
        assertThat(parsed.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(parsed.runs()).isEqualTo(2);
        assertThat(parsed.simulatedModel()).isEqualTo(ModelTarget.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--port x                  | --port must be a whole number, got 'x'",
        "--port 70000              | port must be between 0 and 65535, got 70000",
        "--port -1                 | --port must be at least 0, got -1",
        "--port                    | --port needs a value",
        "--verbose                 | unknown argument '--verbose' for serve",
        "--model a@                | model version must be 1 to 64 characters long, got 0 characters",
        "deploy                    | unknown command 'deploy'; expected serve, simulate or demo",
        "simulate --port 80        | unknown argument '--port' for simulate",
        "simulate --runs 0         | --runs must be at least 1, got 0",
        "simulate --delay-ms -5    | --delay-ms must be at least 0, got -5",
        "simulate --url ftp://x/y  | --url must be an http(s) URL, got 'ftp://x/y'",
        "serve --delay-ms 5        | unknown argument '--delay-ms' for serve",
        "demo --model a            | unknown argument '--model' for demo",
        "--predict-model spam      | --predict-model names model 'spam', which is not served; served: default@unknown",
        "--model a@v1 --baseline a@v2:f1=0.5 | --baseline names model 'a@v2', which is not served; served: a@v1",
        "--baseline accuracy=2     | baseline accuracy must be between 0 and 1, got 2.0",
        "--baseline spam:f1=0.5    | --baseline names model 'spam', which is not served; served: default@unknown",
        "--baseline auc=0.5        | metric must be accuracy, precision, recall, f1, macro_f1, roc_auc or log_loss, got 'auc'",
        "--baseline roc_auc=1.2    | baseline roc_auc must be between 0 and 1, got 1.2",
        "--baseline log_loss=-0.1  | baseline log_loss must be a finite number of at least 0, got -0.1",
        "--baseline f1=0.5 --baseline f1=0.6 | --baseline for every model is given twice",
        "--baseline-from-first 0   | --baseline-from-first must be at least 1, got 0",
        "--baseline f1=0.5 --baseline-from-first 9 | give every model either an offline baseline (--baseline without MODEL:) or a reference period (--baseline-from-first), not both",
        "simulate --baseline f1=1  | unknown argument '--baseline' for simulate",
        "--drift-detectors kswin   | drift detector must be one of ddm, hddm_a, adwin, page_hinkley, got 'kswin'",
        "--drift-detectors ddm,ddm | drift detectors must not repeat, got [ddm, ddm]",
        "simulate --scenario chaos | --scenario must be seed, drift, delayed, multiclass or scores, got 'chaos'",
        "simulate --scenario scores --seed 1.5 | --seed must be a whole number, got '1.5'",
        "--pending-ttl 30          | --pending-ttl must be a whole number with a unit s, m, h or d (90s, 30m, 48h, 7d), got '30'",
        "--pending-ttl 1.5h        | --pending-ttl must be a whole number with a unit s, m, h or d (90s, 30m, 48h, 7d), got '1.5h'",
        "--pending-ttl 400d        | ttl must be whole seconds from 1s to 365 days, got PT9600H",
        "--pending-capacity 8      | --pending-capacity must be at least 16, got 8",
        "simulate --pending-ttl 1h | unknown argument '--pending-ttl' for simulate",
        "simulate --rates 0.1      | --rates must be two values A,B, got '0.1'",
        "simulate --rates 0.1,x    | --rates must be two numbers A,B, got '0.1,x'",
        "simulate --rates 0.1,1.5  | the rate after the change must be between 0 and 1, got 1.5",
        "simulate --lengths 0,10   | --lengths must be at least 1, got 0",
        "serve --seed 3            | unknown argument '--seed' for serve",
        "--auth-metrics            | --auth-metrics needs --auth-token-file FILE: the tokens /metrics is to require",
        "--auth-token-file         | --auth-token-file needs a value",
        "simulate --auth-token-file t | unknown argument '--auth-token-file' for simulate",
        "demo --auth-metrics       | unknown argument '--auth-metrics' for demo",
    })
    void refusesBadArgumentsWithUsageAndStatus2(String line, String message) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(line.trim().split("\\s+"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: " + message + "\n").contains("usage:");
    }

    @Test
    void helpPrintsUsage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: java -jar feedback-examples.jar")
                .contains("  --auth-token-file FILE\n").contains("  --auth-metrics       /metrics requires a token")
                .contains("\n                       scores: a binary model's calibrated scores, then halfway")
                .contains("\n  --seed N             drift, delayed, multiclass, scores: the seed of the random stream")
                .contains("risk@v1")
                .contains("for either, of its scores, roc_auc\n                       and log_loss");
    }
}
