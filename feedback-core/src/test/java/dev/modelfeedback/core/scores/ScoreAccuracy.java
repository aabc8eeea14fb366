package dev.modelfeedback.core.scores;

import java.util.Locale;

/**
 * How far ROC AUC and average precision from the score buckets are from the exact values over the
 * items, on the streams of {@link ScoreCountsTest} and on the two kinds of stream the layout
 * resolves least: scores squeezed together (an under-confident weak model) and scores saturated
 * beyond the last bounds (a grossly over-confident one).
 *
 * <p>Run: {@code mvn -q -B -pl feedback-core -Pbench test -DskipTests
 * -Dbench.main=dev.modelfeedback.core.scores.ScoreAccuracy}
 */
public final class ScoreAccuracy {

    private ScoreAccuracy() {
    }

    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "%-50s %8s %10s %10s %8s %10s%n", "stream of 100,000 items", "AUC", "AUC error",
                "tie bound", "AP", "AP error");
        ScoreCountsTest.streams().forEach(ScoreAccuracy::print);
        print(logistic("under-confident weak (log-odds spread 0.25)", 12, 0.5, 0.5, 0.5));
        print(logistic("over-confident (log-odds spread 9), prevalence 0.01", 13, 3, 0.01, 3));
    }

    private static ScoreCountsTest.Stream100k logistic(String name, long seed, double separation, double prevalence,
            double confidence) {
        return ScoreCountsTest.logistic(name, seed, separation, prevalence, confidence);
    }

    private static void print(ScoreCountsTest.Stream100k stream) {
        ScoreTally tally = ScoreTally.ofBinary();
        for (int i = 0; i < stream.actual().length; i++) {
            tally.add(stream.actual()[i], stream.score()[i]);
        }
        ScoreCounts counts = tally.counts();
        double auc = ScoreReference.rocAuc(stream.actual(), stream.score());
        double ap = ScoreReference.averagePrecision(stream.actual(), stream.score());
        System.out.printf(Locale.ROOT, "%-50s %8.4f %10.1e %10.1e %8.4f %10.1e%n", stream.name(), auc,
                Math.abs(counts.rocAuc() - auc), tieBound(counts), ap, Math.abs(counts.averagePrecision() - ap));
    }

    /** Half the share of positive-negative pairs in one bucket: the most the ties can move the AUC. */
    private static double tieBound(ScoreCounts counts) {
        double tied = 0;
        double p = 0;
        double n = 0;
        for (int b = 0; b < ScoreLayout.BUCKETS; b++) {
            tied += (double) counts.bucket(0, true, b) * counts.bucket(0, false, b);
            p += counts.bucket(0, true, b);
            n += counts.bucket(0, false, b);
        }
        return tied / (2 * p * n);
    }
}
