package dev.modelfeedback.examples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.scores.ScoreLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code score-rules.yml} is what the generator writes from the core's layout, its
 * per-bucket rules pair each bucket with the one below it, and the promtool tests of those rules
 * give every bucket of every row they feed.
 */
final class ScoreRulesGeneratorTest {

    private static final Path MONITORING = Path.of("monitoring");

    private static final Pattern BUCKET_RULE = Pattern.compile(
            "- \\{record: model_row:score_bucket_items:(\\w+), labels: \\{le: \"([^\"]+)\"}, expr: '([^']*)'}");

    @Test
    void committedFileIsWhatTheGeneratorWrites() throws Exception {
        String committed = Files.readString(MONITORING.resolve("score-rules.yml"), StandardCharsets.UTF_8);

        assertThat(committed)
                .as("monitoring/score-rules.yml differs from the generator's output; regenerate it from the repository's"
                        + " root: java -cp feedback-examples/target/feedback-examples.jar"
                        + " dev.modelfeedback.examples.monitoring.ScoreRulesGenerator")
                .isEqualTo(ScoreRulesGenerator.rules());
    }

    @Test
    void mainWritesTheRulesToTheFileGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yml");

        ScoreRulesGenerator.main(new String[] {file.toString()});

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(ScoreRulesGenerator.rules());
    }

    /** Each window: one rule per bucket, in the layout's order, each less the bucket just below (the first alone). */
    @Test
    void eachWindowPairsEveryBucketWithTheOneBelow() {
        Map<String, List<String[]>> rules = new LinkedHashMap<>();
        Matcher matcher = BUCKET_RULE.matcher(ScoreRulesGenerator.rules());
        while (matcher.find()) {
            rules.computeIfAbsent(matcher.group(1), w -> new ArrayList<>())
                    .add(new String[] {matcher.group(2), matcher.group(3)});
        }

        assertThat(rules).containsOnlyKeys("increase5m", "increase1h", "lifetime");
        List<String> labels = ScoreLayout.labels();
        rules.forEach((window, list) -> {
            String cumulative = "model_row:score_buckets:" + window;
            assertThat(list).hasSize(ScoreLayout.BUCKETS);
            assertThat(list.get(0)[0]).isEqualTo(labels.get(0));
            assertThat(list.get(0)[1]).isEqualTo(cumulative + "{le=\"" + labels.get(0) + "\"}");
            for (int b = 1; b < ScoreLayout.BUCKETS; b++) {
                assertThat(list.get(b)[0]).isEqualTo(labels.get(b));
                assertThat(list.get(b)[1]).isEqualTo(cumulative + "{le=\"" + labels.get(b) + "\"} - ignoring (le) "
                        + cumulative + "{le=\"" + labels.get(b - 1) + "\"}");
            }
        });
    }

    private static final Pattern BUCKET_SERIES = Pattern.compile(
            "series: '(model(?:_class)?_score_buckets_total)\\{([^}]*),le=\"([^\"]+)\"}'");

    /**
     * A row missing one bucket would leave the bucket above it without its count, and the rules'
     * results wrong: every (replica, model, row) the promtool tests feed has each bucket of the
     * layout, once, in order.
     */
    @Test
    void promtoolTestsGiveEveryBucketOfEachRowTheyFeed() throws Exception {
        String tests = Files.readString(MONITORING.resolve("score-rules.test.yml"), StandardCharsets.UTF_8);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String group : tests.split("\n  - name: ")) {
            Matcher matcher = BUCKET_SERIES.matcher(group);
            while (matcher.find()) {
                rows.computeIfAbsent(group.lines().findFirst().orElseThrow() + " " + matcher.group(1) + matcher.group(2),
                        r -> new ArrayList<>()).add(matcher.group(3));
            }
        }

        // binary: 2 replicas x 2 actual values; classes: 3 x 2; the alert test: 3 models x 2
        assertThat(rows).hasSize(4 + 6 + 6);
        rows.forEach((row, les) -> assertThat(les).as(row).isEqualTo(ScoreLayout.labels()));
    }
}
