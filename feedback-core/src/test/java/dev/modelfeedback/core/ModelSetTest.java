package dev.modelfeedback.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelfeedback.core.matrix.ClassificationSnapshot;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.model.ModelRef;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class ModelSetTest {

    /**
     * The confusion matrix (4), its gauges (4), the default drift detector (3) and its dropped
     * samples (1), unmatched feedback by reason (3), pending predictions (1) and the label delay's
     * timer (1) with, in a registry without histograms of its own, one gauge per bucket (15).
     */
    static final int METERS_PER_MODEL = 32;

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void withNothingDeclaredServesTheDefaultModel() {
        ModelSet recorders = ModelSet.builder(registry).build();

        assertThat(recorders.recorder(null).model()).isEqualTo(ModelId.DEFAULT);
        assertThat(recorders.recorder("default")).isSameAs(recorders.recorder(null));
        assertThat(recorders.defaultModel()).contains("default");
        assertThat(recorders.maxModels()).isEqualTo(1);
        assertThat(registry.getMeters()).hasSize(METERS_PER_MODEL);
    }

    @Test
    void anAllowlistServesExactlyTheDeclaredModels() {
        ModelSet recorders = ModelSet.builder(registry)
                .model("fraud", "v3")
                .model("churn", "v1")
                .build();

        recorders.recorder("fraud").record(1, 1);
        recorders.recorder("churn").record(0, 1);

        assertThat(recorders.all()).extracting(r -> r.model().name()).containsExactly("churn", "fraud");
        assertThat(recorders.recorder("fraud").snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
        assertThat(recorders.recorder("churn").snapshot()).isEqualTo(new ClassificationSnapshot(0, 0, 0, 1));
        assertThat(registry.getMeters()).hasSize(2 * METERS_PER_MODEL);
    }

    @Test
    void anUnknownModelIsAnErrorAndCreatesNoSeries() {
        ModelSet recorders = ModelSet.builder(registry).model("fraud", "v3").build();

        assertThatThrownBy(() -> recorders.recorder("churn"))
                .isInstanceOfSatisfying(UnknownModelException.class, e -> {
                    assertThat(e.model()).isEqualTo("churn");
                    assertThat(e.detail()).isEqualTo("not on the allowlist");
                })
                .hasMessage("unknown model 'churn'");
        assertThat(registry.getMeters()).hasSize(METERS_PER_MODEL);
        assertThat(recorders.find("churn")).isEmpty();
    }

    @Test
    void anUnknownModelNameIsQuotedBoundedInTheError() {
        ModelSet recorders = ModelSet.builder(registry).model("fraud", "v3").build();

        assertThatThrownBy(() -> recorders.recorder("z".repeat(10_000)))
                .isInstanceOf(UnknownModelException.class)
                .hasMessage("unknown model '" + "z".repeat(64) + "...'");
    }

    @Test
    void feedbackWithoutAModelNeedsADefaultWhenSeveralAreServed() {
        ModelSet recorders = ModelSet.builder(registry)
                .model("fraud", "v3")
                .model("churn", "v1")
                .build();

        assertThat(recorders.defaultModel()).isEmpty();
        assertThatThrownBy(() -> recorders.recorder(null))
                .isInstanceOf(UnknownModelException.class)
                .isInstanceOfSatisfying(UnknownModelException.class, e -> assertThat(e.model()).isNull())
                .hasMessage("model is required: no default model is configured");
    }

    @Test
    void theOnlyDeclaredModelIsTheDefault() {
        ModelSet recorders = ModelSet.builder(registry).model("fraud", "v3").build();
        assertThat(recorders.recorder(null).model()).isEqualTo(new ModelId("fraud", "v3"));
    }

    @Test
    void anExplicitDefaultMustBeDeclared() {
        ModelSet recorders = ModelSet.builder(registry)
                .model("fraud", "v3").model("churn", "v1").defaultModel("churn").build();
        assertThat(recorders.recorder(null).model().name()).isEqualTo("churn");

        MeterRegistry other = new SimpleMeterRegistry();
        assertThatThrownBy(() -> ModelSet.builder(other)
                        .model("fraud", "v3").model("churn", "v1").defaultModel("spam").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("default model 'spam' is not declared; declared: fraud, churn");
        assertThat(other.getMeters()).isEmpty();
    }

    @Test
    void onDemandCreatesModelsUpToTheCapThenRefuses() {
        ModelSet recorders = ModelSet.builder(registry).createOnDemand(3).build();

        recorders.recorder("a").record(1, 1);
        recorders.recorder("b").record(1, 1);
        recorders.recorder("c").record(1, 1);
        recorders.recorder("a").record(0, 0);

        assertThatThrownBy(() -> recorders.recorder("d"))
                .isInstanceOfSatisfying(UnknownModelException.class,
                        e -> assertThat(e.detail()).isEqualTo("the set creates at most 3 models and holds 3"))
                .hasMessage("unknown model 'd'");
        assertThat(recorders.all()).extracting(FeedbackRecorder::model)
                .containsExactly(ModelId.of("a"), ModelId.of("b"), ModelId.of("c"));
        assertThat(recorders.recorder("a").snapshot()).isEqualTo(new ClassificationSnapshot(1, 1, 0, 0));
        assertThat(registry.getMeters()).hasSize(3 * METERS_PER_MODEL);
    }

    @Test
    void onDemandRejectsNamesThatAreNotLabelSafe() {
        ModelSet recorders = ModelSet.builder(registry).createOnDemand(3).build();

        assertThatThrownBy(() -> recorders.recorder("bad name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model must start with a letter or digit and contain only letters, digits"
                        + " and . _ - + :, got 'bad name'");
        assertThat(recorders.all()).isEmpty();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void onDemandWithADefaultCreatesItUpFront() {
        ModelSet recorders = ModelSet.builder(registry)
                .createOnDemand(2).defaultModel("main").build();

        assertThat(recorders.all()).extracting(FeedbackRecorder::model).containsExactly(ModelId.of("main"));
        assertThat(recorders.recorder(null)).isSameAs(recorders.recorder("main"));
    }

    @Test
    void concurrentOnDemandCreationNeverExceedsTheCapNorDuplicatesAModel() throws Exception {
        ModelSet recorders = ModelSet.builder(registry).createOnDemand(10).build();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> refused = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                refused.add(pool.submit(() -> {
                    start.await();
                    int failures = 0;
                    for (int m = 0; m < 20; m++) {
                        try {
                            recorders.recorder("m" + m).record(1, 1);
                        } catch (UnknownModelException e) {
                            failures++;
                        }
                    }
                    return failures;
                }));
            }
            start.countDown();
            int totalRefused = 0;
            for (Future<Integer> f : refused) {
                totalRefused += f.get(30, TimeUnit.SECONDS);
            }
            assertThat(recorders.all()).hasSize(10);
            long counted = recorders.all().stream().mapToLong(r -> r.snapshot().truePositives()).sum();
            assertThat(counted + totalRefused).isEqualTo(threads * 20L);
            assertThat(registry.getMeters()).hasSize(10 * METERS_PER_MODEL);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void settingsAreCheckedPrecisely() {
        ModelSet.Builder builder = ModelSet.builder(registry).model("fraud", "v3");

        assertThatThrownBy(() -> builder.model("fraud", "v3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'fraud' version 'v3' was already declared");
        assertThatThrownBy(() -> builder.createOnDemand(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxModels must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> builder.createOnDemand(10_001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxModels must be between 1 and 10000, got 10001");
        builder.createOnDemand(5);
        assertThatThrownBy(() -> builder.createOnDemand(6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("createOnDemand was already set, with a cap of 5");
        builder.defaultModel("fraud");
        assertThatThrownBy(() -> builder.defaultModel("churn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("default model was already set to 'fraud'");
        assertThatThrownBy(() -> builder.defaultModel("no spaces"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("model must start with a letter or digit");
    }

    @Test
    void moreDeclaredModelsThanTheCapIsRefused() {
        assertThatThrownBy(() -> ModelSet.builder(registry)
                        .model("a", "1").model("b", "1").createOnDemand(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 models are declared but maxModels is 1");
    }

    @Test
    void aModelAlreadyInTheRegistryFailsTheWholeSet() {
        FeedbackRecorder.builder(registry).model("churn", "v1").build();

        assertThatThrownBy(() -> ModelSet.builder(registry).model("fraud", "v3").model("churn", "v1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a recorder for model 'churn' version 'v1' is already registered in this registry");
        // fraud, registered first, was rolled back; only the earlier churn recorder remains
        assertThat(registry.find("true.positives").tag("model", "fraud").meter()).isNull();
        assertThat(registry.getMeters()).hasSize(METERS_PER_MODEL);
    }

    @Test
    void severalModelsAreCreatedAllOrNothing() {
        ModelSet models = ModelSet.builder(registry).createOnDemand(3).defaultModel("main").build();

        // "a" and "b" fit, "c" would be the fourth model: none of them is created
        assertThatThrownBy(() -> models.recorders(refs("a", null, "b", "c")))
                .isInstanceOfSatisfying(UnknownModelException.class, e -> assertThat(e.model()).isEqualTo("c"))
                .hasMessage("unknown model 'c'");
        assertThat(models.all()).extracting(r -> r.model().name()).containsExactly("main");
        assertThat(registry.find("true.positives").tag("model", "a").meter()).isNull();

        // an invalid name anywhere: nothing is created either
        assertThatThrownBy(() -> models.recorders(refs("a", "no spaces")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("model must start with a letter or digit");
        assertThat(models.all()).hasSize(1);

        List<FeedbackRecorder> found = models.recorders(refs("a", null, "b", "a"));
        assertThat(found).extracting(r -> r.model().name()).containsExactly("a", "main", "b", "a");
        assertThat(found.get(0)).isSameAs(found.get(3));
        assertThat(registry.getMeters()).hasSize(3 * METERS_PER_MODEL);
    }

    @Test
    void aModelSomeoneElseRegisteredIsAServerFaultAndLeavesNothingBehind() {
        ModelSet models = ModelSet.builder(registry).createOnDemand(5).build();
        FeedbackRecorder.builder(registry).model(ModelId.of("taken")).build();

        assertThatThrownBy(() -> models.recorders(refs("fresh", "taken")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a recorder for model 'taken' version 'unknown' is already registered in this registry");
        assertThat(models.all()).isEmpty();
        assertThat(registry.find("true.positives").tag("model", "fresh").meter()).isNull();
        assertThat(registry.getMeters()).hasSize(METERS_PER_MODEL);
    }

    private static List<ModelRef> refs(String... names) {
        return Arrays.stream(names).map(ModelRef::named).toList();
    }

    @Test
    void aNameServesSeveralVersionsSideBySide() {
        ModelSet models = ModelSet.builder(registry).model("fraud", "v3").model("fraud", "v4").model("churn", "v1")
                .defaultModel("fraud").build();

        models.recorder("fraud", "v3").record(1, 1);
        models.recorder("fraud", "v4").record(1, 0);
        models.recorder(null, "v4").record(0, 0);

        assertThat(models.all()).extracting(r -> r.model().toString()).containsExactly("churn@v1", "fraud@v3", "fraud@v4");
        assertThat(models.versions("fraud")).extracting(r -> r.model().version()).containsExactly("v3", "v4");
        assertThat(models.recorder("fraud", "v3").snapshot()).isEqualTo(new ClassificationSnapshot(1, 0, 0, 0));
        assertThat(models.recorder("fraud", "v4").snapshot()).isEqualTo(new ClassificationSnapshot(0, 1, 1, 0));
        assertThat(registry.get("true.positives").tags("model", "fraud", "model_version", "v3").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("true.negatives").tags("model", "fraud", "model_version", "v4").functionCounter().count())
                .isEqualTo(1);
        assertThat(models.find("fraud")).isEmpty();
        assertThat(models.find(new ModelId("fraud", "v4"))).containsSame(models.recorder("fraud", "v4"));
        assertThat(models.find("churn")).containsSame(models.recorder("churn", "v1"));
        assertThat(registry.getMeters()).hasSize(3 * METERS_PER_MODEL);
    }

    @Test
    void aNameWithSeveralVersionsNeedsOneAndAnUnservedVersionIsUnknown() {
        ModelSet models = ModelSet.builder(registry).model("fraud", "v3").model("fraud", "v4").build();

        assertThatThrownBy(() -> models.recorder("fraud"))
                .isInstanceOfSatisfying(UnknownModelException.class, e -> {
                    assertThat(e.model()).isEqualTo("fraud");
                    assertThat(e.detail()).isEqualTo("versions served: v3, v4");
                })
                .hasMessage("model 'fraud' has several versions: name one with model_version");
        assertThat(models.defaultModel()).contains("fraud");
        assertThatThrownBy(() -> models.recorder(null))
                .hasMessage("model 'fraud' has several versions: name one with model_version");
        assertThatThrownBy(() -> models.recorder("fraud", "v5"))
                .isInstanceOfSatisfying(UnknownModelException.class, e -> assertThat(e.index()).isEqualTo(-1))
                .hasMessage("unknown version 'v5' of model 'fraud'");
        assertThatThrownBy(() -> models.recorders(List.of(new ModelRef("fraud", "v3"), new ModelRef("fraud", "v9"))))
                .isInstanceOfSatisfying(UnknownModelException.class, e -> assertThat(e.index()).isEqualTo(1))
                .hasMessage("unknown version 'v9' of model 'fraud'");
        assertThat(models.all()).hasSize(2);
        assertThat(registry.getMeters()).hasSize(2 * METERS_PER_MODEL);
    }

    @Test
    void onDemandModelsHaveVersionUnknownAndAnotherVersionCreatesNothing() {
        ModelSet models = ModelSet.builder(registry).createOnDemand(5).build();

        assertThatThrownBy(() -> models.recorder("fresh", "v2"))
                .isInstanceOf(UnknownModelException.class)
                .hasMessage("unknown version 'v2' of model 'fresh'");
        assertThat(models.all()).isEmpty();
        assertThat(models.recorder("fresh", ModelId.UNKNOWN_VERSION).model()).isEqualTo(ModelId.of("fresh"));
        assertThat(models.recorder("fresh")).isSameAs(models.recorder("fresh", "unknown"));
        assertThat(registry.getMeters()).hasSize(METERS_PER_MODEL);
    }

    @Test
    void everyVersionCountsTowardsTheCap() {
        assertThatThrownBy(() -> ModelSet.builder(registry).model("fraud", "v3").model("fraud", "v4")
                        .createOnDemand(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 models are declared but maxModels is 1");
    }

    @Test
    void anInMemoryStoreSettingForOneModelIsRefusedNotIgnored() {
        MeterRegistry registry = new SimpleMeterRegistry();

        assertThatThrownBy(() -> ModelSet.builder(registry).model("fraud", "v3")
                        .eachModel(recorder -> recorder.pendingCapacity(5_000)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("pendingCapacity sets the recorder's own in-memory pending store, but model fraud@v3"
                        + " keeps its predictions in InMemoryPendingStore[")
                .hasMessageEndingWith("; set it on that store (for a ModelSet, on ModelSet.Builder)");
        assertThatThrownBy(() -> ModelSet.builder(registry).model("fraud", "v3",
                        recorder -> recorder.pendingTtl(java.time.Duration.ofMinutes(5))).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("pendingTtl sets");
        assertThat(registry.getMeters()).isEmpty();

        ModelSet set = ModelSet.builder(registry).model("fraud", "v3").pendingCapacity(5_000).build();
        assertThat(set.pendingStore().toString()).startsWith("InMemoryPendingStore[capacity=5000 per namespace");
    }
}
