package dev.modelfeedback.spring.boot;

import static dev.modelfeedback.spring.boot.PropertyCheck.check;

import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.baseline.ReferencePeriod;
import dev.modelfeedback.core.drift.DriftDetector;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.matrix.Metric;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.window.Window;
import dev.modelfeedback.spring.boot.ModelFeedbackProperties.BaselineValues;
import dev.modelfeedback.spring.boot.ModelFeedbackProperties.Model;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds a {@link ModelSet} from {@link ModelFeedbackProperties}. Every value is checked by the
 * core's own rules before the set is built, and a bad one is reported as an
 * {@link InvalidConfigurationPropertyValueException} naming the property ({@link PropertyCheck}).
 */
final class ModelSetFactory {

    /** Map keys Boot binds without brackets; any other name is shown as {@code models[NAME]}. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private ModelSetFactory() {
    }

    /**
     * @param properties the {@code modelfeedback.*} properties
     * @param registry where the models' meters go
     * @param pendingStore a store of the application's own, or {@code null} for the in-memory one
     * @param customizers applied to every model after the common properties
     * @return the set, its declared models' meters registered
     * @throws InvalidConfigurationPropertyValueException naming the first bad property
     */
    static ModelSet create(ModelFeedbackProperties properties, MeterRegistry registry,
            @Nullable PendingStore pendingStore, List<FeedbackRecorderCustomizer> customizers) {
        String prefix = ModelFeedbackProperties.PREFIX;
        ModelSet.Builder builder = ModelSet.builder(registry);

        RecorderSettings common = RecorderSettings.of(prefix, properties.windows(), properties.driftDetectors(),
                properties.baseline());
        builder.eachModel(recorder -> {
            common.applyTo(recorder);
            customizers.forEach(customizer -> customizer.customize(recorder));
        });

        Map<String, String> byLowerCase = new HashMap<>();
        for (String name : properties.models().keySet()) {
            String other = byLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (other != null) {
                // Without brackets, Boot's relaxed binding folds case and merges the two models' properties.
                String capitalized = name.equals(name.toLowerCase(Locale.ROOT)) ? other : name;
                throw new InvalidConfigurationPropertyValueException(prefix + ".models", name, "models '" + other
                        + "' and '" + name + "' differ only in case, and their properties may have been merged;"
                        + " write a name with capitals in brackets, such as " + prefix + ".models[" + capitalized
                        + "].version");
            }
        }
        int declared = 0;
        for (Map.Entry<String, Model> entry : properties.models().entrySet()) {
            String name = entry.getKey();
            Model model = entry.getValue();
            String modelPrefix = prefix + ".models" + (PLAIN_KEY.matcher(name).matches() ? "." + name : "[" + name + "]");
            check(prefix + ".models", name, () -> ModelId.requireValidName(name));
            RecorderSettings own = RecorderSettings.of(modelPrefix, model.windows(), model.driftDetectors(),
                    model.baseline());
            List<String> classes = model.classes();
            if (classes != null) {
                List<String> labels = classes.stream().map(String::trim).toList();
                check(modelPrefix + ".classes", String.join(",", classes), () -> builder.classes(name, labels));
            }
            // A model's own baseline (offline values or a reference period) replaces the common one.
            boolean ownBaseline = own.baseline() != null || own.baselineFromFirst() > 0;
            requireBaselineApplies(name, classes != null, ownBaseline ? modelPrefix : prefix,
                    ownBaseline ? own.baseline() : common.baseline());
            for (ModelId id : versions(modelPrefix, name, model)) {
                check(modelPrefix + ".versions", id.version(), () -> builder.model(id.name(), id.version(), own::applyTo));
                declared++;
            }
        }

        Integer cap = properties.createOnDemand();
        if (cap != null) {
            check(prefix + ".create-on-demand", cap, () -> builder.createOnDemand(cap));
            // models created on demand are binary
            requireBaselineApplies("created on demand", false, prefix, common.baseline());
            if (declared > cap) {
                throw new InvalidConfigurationPropertyValueException(prefix + ".create-on-demand", cap,
                        declared + " models are declared in " + prefix + ".models (each version counts), more than the "
                                + cap + " the set may hold, declared ones included");
            }
        }
        String defaultModel = properties.defaultModel();
        if (defaultModel != null) {
            check(prefix + ".default-model", defaultModel, () -> builder.defaultModel(defaultModel));
            if (cap == null && !properties.models().isEmpty() && !properties.models().containsKey(defaultModel)) {
                throw new InvalidConfigurationPropertyValueException(prefix + ".default-model", defaultModel,
                        "the default model must be one of the declared models (" + String.join(", ",
                                properties.models().keySet()) + "), or models must be created on demand");
            }
        }

        ModelFeedbackProperties.Pending pending = properties.pending();
        check(prefix + ".pending.capacity", pending.capacity(), () -> builder.pendingCapacity(pending.capacity()));
        check(prefix + ".pending.ttl", pending.ttl(), () -> builder.pendingTtl(pending.ttl()));
        if (pendingStore != null) {
            builder.pendingStore(pendingStore);
        } else if (pending.store() == ModelFeedbackProperties.Store.REDIS) {
            throw new InvalidConfigurationPropertyValueException(prefix + ".pending.store", "redis",
                    "the Redis store needs dev.modelfeedback:feedback-redis on the application's classpath");
        }
        return builder.build();
    }

    /**
     * A binary model's baseline sets accuracy, precision, recall and F1; a multi-class model's
     * accuracy and macro F1; either ROC AUC and log loss: a metric of the other kind stops the start
     * naming its property.
     */
    private static void requireBaselineApplies(String name, boolean declaresClasses, String baselinePrefix,
            @Nullable Baseline baseline) {
        if (baseline == null) {
            return;
        }
        List<Metric> metrics = Metric.baselineMetrics(declaresClasses);
        for (Map.Entry<Metric, Double> value : baseline.values().entrySet()) {
            if (!metrics.contains(value.getKey())) {
                throw new InvalidConfigurationPropertyValueException(
                        baselinePrefix + ".baseline." + value.getKey().key().replace('_', '-'), value.getValue(),
                        "model '" + name + "' " + (declaresClasses ? "declares classes: its baseline may set"
                                + " accuracy, macro-f1, roc-auc and log-loss" : "is binary: macro-f1 is for models with classes"));
            }
        }
    }

    /** The versions a declared model serves: its {@code versions}, or its one {@code version}. */
    private static List<ModelId> versions(String modelPrefix, String name, Model model) {
        List<String> versions = model.versions();
        if (versions == null) {
            return List.of(check(modelPrefix + ".version", model.version(), () -> new ModelId(name, model.version())));
        }
        if (!model.version().equals(ModelId.UNKNOWN_VERSION)) {
            throw new InvalidConfigurationPropertyValueException(modelPrefix + ".versions", String.join(",", versions),
                    "set either " + modelPrefix + ".version or " + modelPrefix + ".versions, not both");
        }
        if (versions.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException(modelPrefix + ".versions", "",
                    "list at least one version, or leave versions unset for version " + ModelId.UNKNOWN_VERSION);
        }
        List<ModelId> ids = new ArrayList<>();
        for (String version : versions) {
            String trimmed = version.trim();
            ModelId id = check(modelPrefix + ".versions", version, () -> new ModelId(name, trimmed));
            if (ids.contains(id)) {
                throw new InvalidConfigurationPropertyValueException(modelPrefix + ".versions", String.join(",", versions),
                        "version '" + trimmed + "' is listed twice");
            }
            ids.add(id);
        }
        return ids;
    }

    /**
     * What properties set on a recorder, checked: each {@code null} leaves the recorder's setting
     * as it is (the core's default, or the one set for every model).
     */
    private record RecorderSettings(
            @Nullable List<Duration> windows,
            @Nullable List<Supplier<? extends DriftDetector>> driftDetectors,
            @Nullable Baseline baseline,
            long baselineFromFirst) {

        static RecorderSettings of(String prefix, @Nullable List<Duration> windows,
                @Nullable List<String> driftDetectors, @Nullable BaselineValues baseline) {
            if (windows != null) {
                check(prefix + ".windows", windows, () -> Window.list(windows));
            }
            List<Supplier<? extends DriftDetector>> detectors = null;
            if (driftDetectors != null) {
                List<Supplier<? extends DriftDetector>> named = new ArrayList<>();
                for (String detector : driftDetectors) {
                    String trimmed = detector.trim();
                    if (!(trimmed.equals("none") && driftDetectors.size() == 1)) {
                        named.add(check(prefix + ".drift-detectors", detector, () -> DriftDetector.named(trimmed)));
                    }
                }
                detectors = check(prefix + ".drift-detectors", driftDetectors, () -> DriftDetector.distinct(named));
            }
            Baseline offline = null;
            long fromFirst = 0;
            if (baseline != null) {
                Map<Metric, Double> values = new EnumMap<>(Metric.class);
                put(values, Metric.ACCURACY, baseline.accuracy());
                put(values, Metric.PRECISION, baseline.precision());
                put(values, Metric.RECALL, baseline.recall());
                put(values, Metric.F1, baseline.f1());
                put(values, Metric.MACRO_F1, baseline.macroF1());
                put(values, Metric.ROC_AUC, baseline.rocAuc());
                put(values, Metric.LOG_LOSS, baseline.logLoss());
                values.forEach((metric, value) -> check(prefix + ".baseline." + metric.key().replace('_', '-'), value,
                        () -> Baseline.of(Map.of(metric, value))));
                Long first = baseline.fromFirst();
                if (first != null) {
                    if (!values.isEmpty()) {
                        throw new InvalidConfigurationPropertyValueException(prefix + ".baseline.from-first", first,
                                "a baseline is either a reference period or offline values, not both; "
                                        + prefix + ".baseline also sets " + String.join(", ",
                                                values.keySet().stream().map(Metric::key).toList()));
                    }
                    check(prefix + ".baseline.from-first", first, () -> ReferencePeriod.requireValidSize(first));
                    fromFirst = first;
                } else {
                    offline = Baseline.of(values);
                }
            }
            return new RecorderSettings(windows == null ? null : List.copyOf(windows), detectors, offline, fromFirst);
        }

        private static void put(Map<Metric, Double> values, Metric metric, @Nullable Double value) {
            if (value != null) {
                values.put(metric, value);
            }
        }

        void applyTo(FeedbackRecorder.Builder recorder) {
            if (windows != null) {
                recorder.windows(windows.toArray(Duration[]::new));
            }
            if (driftDetectors != null) {
                recorder.driftDetectors(driftDetectors);
            }
            if (baseline != null) {
                recorder.baseline(baseline);
            } else if (baselineFromFirst > 0) {
                recorder.baselineFromFirst(baselineFromFirst);
            }
        }
    }
}
