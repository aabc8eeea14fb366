package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped Prometheus files pass the real promtool: syntax, config, and the rule unit tests. */
final class PromtoolTest {

    /**
     * The score rules' unit tests evaluate 776 rules over an hour and more of thousands of bucket
     * series, step by step: half a minute on an idle core.
     */
    private static final Duration SCORE_TESTS_TIMEOUT = Duration.ofMinutes(6);

    private Path promtool;

    @BeforeEach
    void findPromtool() {
        promtool = PrometheusBinaries.require("promtool");
    }

    @Test
    void rulesAreValid() throws Exception {
        PrometheusBinaries.Result result = PrometheusBinaries.run(PrometheusBinaries.MONITORING,
                promtool.toString(), "check", "rules", "rules.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 46 rules found");
    }

    /** Three windows of 258 rules (240 of them one per score bucket) and the two score alerts. */
    @Test
    void scoreRulesAreValid() throws Exception {
        PrometheusBinaries.Result result = PrometheusBinaries.run(PrometheusBinaries.MONITORING,
                promtool.toString(), "check", "rules", "score-rules.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 776 rules found").doesNotContain("duplicate");
    }

    @Test
    void scoreRuleUnitTestsPass() throws Exception {
        PrometheusBinaries.Result result = PrometheusBinaries.run(PrometheusBinaries.MONITORING, SCORE_TESTS_TIMEOUT,
                promtool.toString(), "test", "rules", "score-rules.test.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        PrometheusBinaries.Result result = PrometheusBinaries.run(PrometheusBinaries.MONITORING,
                promtool.toString(), "test", "rules", "rules.test.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void scrapeConfigIsValid() throws Exception {
        PrometheusBinaries.Result result = PrometheusBinaries.run(PrometheusBinaries.MONITORING,
                promtool.toString(), "check", "config", "prometheus.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 2 rule files found");
    }

    /** The harness itself: a rule test that expects a wrong value must fail. */
    @Test
    void aWrongExpectationFails(@TempDir Path dir) throws Exception {
        Files.copy(PrometheusBinaries.MONITORING.resolve("rules.yml"), dir.resolve("rules.yml"));
        String tests = Files.readString(PrometheusBinaries.MONITORING.resolve("rules.test.yml"))
                .replace("value: 0.55", "value: 0.56");
        Files.writeString(dir.resolve("rules.test.yml"), tests);

        PrometheusBinaries.Result result = PrometheusBinaries.run(dir, promtool.toString(), "test", "rules", "rules.test.yml");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("FAILED").contains("model:accuracy:ratio_rate5m");
    }

    /**
     * The same for the score rules, on the last test group alone (the calibration alert: no bucket
     * series, so it runs in seconds): a wrong calibration error must fail it.
     */
    @Test
    void aWrongScoreExpectationFails(@TempDir Path dir) throws Exception {
        Files.copy(PrometheusBinaries.MONITORING.resolve("score-rules.yml"), dir.resolve("score-rules.yml"));
        String tests = Files.readString(PrometheusBinaries.MONITORING.resolve("score-rules.test.yml"));
        int first = tests.indexOf("\n  - name: ");
        int last = tests.lastIndexOf("\n  - name: ");
        assertThat(tests.substring(last)).contains("name: calibration alert").contains("value: 0.0625");
        Files.writeString(dir.resolve("score-rules.test.yml"),
                tests.substring(0, first) + tests.substring(last).replace("value: 0.0625", "value: 0.0626"));

        PrometheusBinaries.Result result = PrometheusBinaries.run(dir, promtool.toString(), "test", "rules",
                "score-rules.test.yml");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("FAILED").contains("model:calibration_error:ratio_rate1h");
    }
}
