package dev.modelfeedback.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped Prometheus files pass the real promtool: syntax, config, and the rule unit tests. */
final class PromtoolTest {

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
        assertThat(result.output()).contains("SUCCESS: 1 rule files found");
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
}
