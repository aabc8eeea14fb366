package dev.modelfeedback.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.window.Window;
import dev.modelfeedback.servlet.FeedbackLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** How each property reaches the model set. */
final class PropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ModelFeedbackAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    private static List<String> windows(FeedbackRecorder recorder) {
        return recorder.windows().stream().map(Window::name).toList();
    }

    @Test
    void withNoPropertiesTheSetServesTheDefaultModelWithTheCoresDefaults() {
        runner.run(context -> {
            ModelSet models = context.getBean(ModelSet.class);
            FeedbackRecorder only = models.recorder(null);
            assertThat(models.all()).containsExactly(only);
            assertThat(only.model().toString()).isEqualTo("default@unknown");
            assertThat(only.windows()).isEqualTo(FeedbackRecorder.DEFAULT_WINDOWS);
            assertThat(only.driftDetectors()).containsExactly("hddm_a");
            assertThat(only.baseline()).isEqualTo(Baseline.NONE);
            assertThat(models.pendingStore()).isInstanceOfSatisfying(InMemoryPendingStore.class, store -> {
                assertThat(store.capacity()).isEqualTo(PendingStore.DEFAULT_CAPACITY);
                assertThat(store.ttl()).isEqualTo(PendingStore.DEFAULT_TTL);
            });
        });
    }

    /** The defaults written in the properties (and so in the IDE's metadata) are the core's. */
    @Test
    void defaultValuesAreTheCoresAndTheServlets() {
        runner.run(context -> {
            ModelFeedbackProperties properties = context.getBean(ModelFeedbackProperties.class);
            assertThat(properties.enabled()).isTrue();
            assertThat(properties.path()).isEqualTo("/feedback");
            assertThat(properties.maxBodySize().toBytes()).isEqualTo(FeedbackLimits.DEFAULT.maxBodyBytes());
            assertThat(properties.maxBatchItems()).isEqualTo(FeedbackLimits.DEFAULT.maxBatchItems());
            assertThat(properties.bodyTimeout()).isEqualTo(FeedbackLimits.DEFAULT.bodyTimeout());
            assertThat(properties.windows()).containsExactlyElementsOf(
                    FeedbackRecorder.DEFAULT_WINDOWS.stream().map(Window::span).toList());
            assertThat(properties.driftDetectors()).containsExactly("hddm_a");
            assertThat(properties.pending().capacity()).isEqualTo(PendingStore.DEFAULT_CAPACITY);
            assertThat(properties.pending().ttl()).isEqualTo(PendingStore.DEFAULT_TTL);
            assertThat(properties.models()).isEmpty();
            assertThat(properties.defaultModel()).isNull();
            assertThat(properties.createOnDemand()).isNull();
            assertThat(properties.baseline()).isNull();
        });
    }

    @Test
    void classesMakeAMultiClassModelEveryVersionOfIt() {
        runner.withPropertyValues(
                "modelfeedback.models.intent.versions=v1,v2",
                "modelfeedback.models.intent.classes=billing, tech ,sales",
                "modelfeedback.models.intent.baseline.accuracy=0.9",
                "modelfeedback.models.intent.baseline.macro-f1=0.8",
                "modelfeedback.models.fraud.version=v3",
                "modelfeedback.default-model=fraud").run(context -> {
                    ModelSet models = context.getBean(ModelSet.class);
                    assertThat(models.versions("intent")).allSatisfy(intent -> {
                        assertThat(intent.declaresClasses()).isTrue();
                        assertThat(intent.classes().labels()).containsExactly("billing", "tech", "sales");
                        assertThat(intent.baseline()).isEqualTo(Baseline.parse("accuracy=0.9,macro_f1=0.8"));
                    });
                    assertThat(models.recorder("fraud").declaresClasses()).isFalse();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find("model.confusion").tag("model", "intent").meters()).hasSize(2 * 9);
                });
    }

    @Test
    void scoreBaselinesApplyToEitherKindOfModel() {
        runner.withPropertyValues(
                "modelfeedback.baseline.roc-auc=0.91",
                "modelfeedback.models.fraud.version=v3",
                "modelfeedback.models.fraud.baseline.roc-auc=0.93",
                "modelfeedback.models.fraud.baseline.log-loss=0.35",
                "modelfeedback.models.intent.classes=billing,tech,sales",
                "modelfeedback.default-model=fraud").run(context -> {
                    assertThat(context).hasNotFailed();
                    ModelSet models = context.getBean(ModelSet.class);
                    assertThat(models.recorder("fraud").baseline()).isEqualTo(Baseline.parse("roc_auc=0.93,log_loss=0.35"));
                    assertThat(models.recorder("intent").baseline()).isEqualTo(Baseline.parse("roc_auc=0.91"));
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("model.baseline").tag("model", "fraud").tag("metric", "log_loss").gauge().value())
                            .isEqualTo(0.35);
                });
    }

    /** A model's own reference period replaces a common offline baseline that it could not hold. */
    @Test
    void aModelWithClassesMayTakeItsOwnReferencePeriodBesideACommonBinaryBaseline() {
        runner.withPropertyValues(
                "modelfeedback.baseline.precision=0.9",
                "modelfeedback.models.fraud.version=v3",
                "modelfeedback.models.intent.classes=billing,tech,sales",
                "modelfeedback.models.intent.baseline.from-first=500",
                "modelfeedback.default-model=fraud").run(context -> {
                    assertThat(context).hasNotFailed();
                    ModelSet models = context.getBean(ModelSet.class);
                    assertThat(models.recorder("fraud").baseline()).isEqualTo(Baseline.parse("precision=0.9"));
                    assertThat(models.recorder("intent").declaresClasses()).isTrue();
                });
    }

    @Test
    void versionsAreServedSideBySideEachWithTheModelsSettings() {
        runner.withPropertyValues(
                "modelfeedback.models.ranker.versions=v1, v2",
                "modelfeedback.models.ranker.baseline.accuracy=0.9",
                "modelfeedback.models.churn.version=v1",
                "modelfeedback.default-model=ranker").run(context -> {
                    ModelSet models = context.getBean(ModelSet.class);
                    assertThat(models.all()).extracting(r -> r.model().toString())
                            .containsExactly("churn@v1", "ranker@v1", "ranker@v2");
                    assertThat(models.recorder("ranker", "v2").baseline()).isEqualTo(Baseline.parse("accuracy=0.9"));
                    assertThat(models.recorder("ranker", "v1").baseline()).isEqualTo(Baseline.parse("accuracy=0.9"));
                    assertThat(models.versions("ranker")).hasSize(2);
                });
    }

    @Test
    void aModelsOwnSettingsReplaceTheCommonOnes() {
        runner.withPropertyValues(
                "modelfeedback.windows=10m,2h",
                "modelfeedback.drift-detectors=hddm_a,adwin",
                "modelfeedback.baseline.accuracy=0.9",
                "modelfeedback.baseline.f1=0.8",
                "modelfeedback.models.fraud.version=v3",
                "modelfeedback.models.fraud.windows=1d",
                "modelfeedback.models.fraud.drift-detectors=page_hinkley",
                "modelfeedback.models.fraud.baseline.recall=0.85",
                "modelfeedback.models.churn.version=v1",
                "modelfeedback.models.churn.baseline.from-first=500",
                "modelfeedback.models[fraud.eu].version=2024-06+b:7",
                "modelfeedback.default-model=churn").run(context -> {
                    ModelSet models = context.getBean(ModelSet.class);
                    assertThat(models.all()).extracting(recorder -> recorder.model().toString())
                            .containsExactly("churn@v1", "fraud@v3", "fraud.eu@2024-06+b:7");
                    assertThat(models.defaultModel()).contains("churn");

                    FeedbackRecorder fraud = models.recorder("fraud");
                    assertThat(windows(fraud)).containsExactly("1d");
                    assertThat(fraud.driftDetectors()).containsExactly("page_hinkley");
                    assertThat(fraud.baseline()).isEqualTo(Baseline.parse("recall=0.85"));

                    FeedbackRecorder churn = models.recorder("churn");
                    assertThat(windows(churn)).containsExactly("10m", "2h");
                    assertThat(churn.driftDetectors()).containsExactly("hddm_a", "adwin");
                    assertThat(churn.baseline()).as("a reference period, still open").isEqualTo(Baseline.NONE);
                    for (int i = 0; i < 500; i++) {
                        churn.record(1, i % 5 == 4 ? 0 : 1);   // a steady 80%: no drift to report
                    }
                    assertThat(churn.baseline()).isEqualTo(Baseline.parse("accuracy=0.8,precision=0.8,recall=1,f1="
                            + (2.0 * 400 / (2 * 400 + 100))));

                    FeedbackRecorder eu = models.recorder("fraud.eu");
                    assertThat(windows(eu)).containsExactly("10m", "2h");
                    assertThat(eu.baseline()).isEqualTo(Baseline.parse("accuracy=0.9,f1=0.8"));
                });
    }

    @Test
    void emptyListsAndNoneTurnWindowsAndDetectorsOff() {
        runner.withPropertyValues("modelfeedback.windows=", "modelfeedback.drift-detectors=none",
                "modelfeedback.models.fraud.version=v3",
                "modelfeedback.models.churn.version=v1", "modelfeedback.models.churn.drift-detectors=")
                .run(context -> {
                    ModelSet models = context.getBean(ModelSet.class);
                    assertThat(models.recorder("fraud").windows()).isEmpty();
                    assertThat(models.recorder("fraud").driftDetectors()).isEmpty();
                    assertThat(models.recorder("churn").driftDetectors()).isEmpty();
                });
    }

    @Test
    void durationsWithoutAUnitAreSeconds() {
        runner.withPropertyValues("modelfeedback.windows=300,3600", "modelfeedback.pending.ttl=90").run(context -> {
            ModelSet models = context.getBean(ModelSet.class);
            assertThat(windows(models.recorder(null))).containsExactly("5m", "1h");
            assertThat(((InMemoryPendingStore) models.pendingStore()).ttl()).isEqualTo(Duration.ofSeconds(90));
        });
    }

    @Test
    void pendingStoreSettingsSizeTheInMemoryStore() {
        runner.withPropertyValues("modelfeedback.pending.capacity=5000", "modelfeedback.pending.ttl=7d").run(context -> {
            InMemoryPendingStore store = (InMemoryPendingStore) context.getBean(ModelSet.class).pendingStore();
            assertThat(store.capacity()).isEqualTo(5000);
            assertThat(store.ttl()).isEqualTo(Duration.ofDays(7));
        });
    }

    @Test
    void createOnDemandCreatesModelsUpToTheCapDeclaredOnesIncluded() {
        runner.withPropertyValues("modelfeedback.create-on-demand=2", "modelfeedback.models.fraud.version=v3",
                "modelfeedback.default-model=fraud").run(context -> {
                    ModelSet models = context.getBean(ModelSet.class);
                    assertThat(models.maxModels()).isEqualTo(2);
                    assertThat(models.recorder("spam").model().toString()).isEqualTo("spam@unknown");
                    assertThat(models.find("ham")).isEmpty();
                    assertThat(models.all()).hasSize(2);
                });
    }
}
