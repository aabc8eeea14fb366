package dev.modelfeedback.core;

import dev.modelfeedback.core.baseline.Baseline;
import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.PendingStore;
import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.model.ModelRef;
import dev.modelfeedback.core.model.Texts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The recorders of a server that serves several models, keyed by model name and version, bounded
 * so that request input can never mint an unbounded number of time series.
 *
 * <pre>{@code
 * // An allowlist: feedback for any other model is an UnknownModelException.
 * ModelSet models = ModelSet.builder(registry)
 *         .model("fraud", "v3")
 *         .model("fraud", "v4")        // a challenger beside its champion, on the same traffic
 *         .model("churn", "v1")
 *         .defaultModel("churn")       // for feedback that names no model
 *         .build();
 * models.recorder("churn").record(1, 1);
 * models.recorder("fraud", "v4").record(0, 1);   // a name with several versions needs one
 *
 * // Or models created on first use (version "unknown"), at most 20 of them.
 * ModelSet onDemand = ModelSet.builder(registry).createOnDemand(20).build();
 * }</pre>
 *
 * <p>With no model declared and no on-demand creation, the set serves one model, {@code default}
 * (version {@code unknown}), which is also the default. With exactly one declared name, that name
 * is the default. A name may be declared in several versions: feedback for it must then name the
 * version, and a version that is not declared is never created.
 *
 * <p>Thread-safe. Looking up an existing model takes no lock; creating one on demand does.
 */
public final class ModelSet {

    private final MeterRegistry registry;
    /** Every name's recorders, in the order their versions were declared; each list immutable. */
    private final Map<String, List<FeedbackRecorder>> recorders;
    private final @Nullable String defaultModel;
    private final int maxModels;
    private final boolean createOnDemand;
    private final Consumer<FeedbackRecorder.Builder> eachModel;
    private final PendingStore pendingStore;
    private final Map<ModelId, Consumer<FeedbackRecorder.Builder>> perModel;
    private final Map<String, List<String>> classes;
    /** How many recorders the set holds: guarded by {@code this} when creating, read without. */
    private volatile int size;

    private ModelSet(Builder builder) {
        this.registry = builder.registry;
        this.eachModel = builder.eachModel;
        this.pendingStore = builder.pendingStore != null ? builder.pendingStore
                : new InMemoryPendingStore(builder.pendingCapacity, builder.pendingTtl);
        this.perModel = Map.copyOf(builder.perModel);
        this.classes = Map.copyOf(builder.classes);
        this.maxModels = builder.maxModels;
        this.createOnDemand = builder.createOnDemand;
        this.recorders = new ConcurrentHashMap<>();
        // Register in declaration order; if one registration fails, undo the others.
        List<FeedbackRecorder> registered = new ArrayList<>();
        try {
            for (ModelId model : builder.declared) {
                registered.add(newRecorder(model, false));
            }
        } catch (RuntimeException e) {
            registered.forEach(FeedbackRecorder::unregister);
            throw e;
        }
        Map<String, List<FeedbackRecorder>> byName = new LinkedHashMap<>();
        registered.forEach(r -> byName.computeIfAbsent(r.model().name(), name -> new ArrayList<>()).add(r));
        byName.forEach((name, versions) -> recorders.put(name, List.copyOf(versions)));
        this.size = registered.size();
        this.defaultModel = builder.resolveDefault();
    }

    /**
     * Starts building a set of recorders that register their meters in {@code registry}.
     *
     * @param registry the registry to publish to; owned by the caller
     * @return a builder
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * The recorder for a model that has one version, created first if this set creates models on
     * demand.
     *
     * @param name the model's name, or {@code null} for the default model
     * @return the model's recorder
     * @throws UnknownModelException if the model is not served and may not be created, if it has
     *     several versions, or if {@code name} is null and there is no default model
     * @throws IllegalArgumentException if a model to be created on demand has an invalid name
     * @throws IllegalStateException if a model to be created on demand is already registered in the
     *     registry by someone else: a configuration fault of the server, not of the caller
     */
    public FeedbackRecorder recorder(@Nullable String name) {
        return recorder(name, null);
    }

    /**
     * The recorder for one version of a model, created first if this set creates models on demand
     * (in version {@code unknown}; other versions are never created).
     *
     * @param name the model's name, or {@code null} for the default model
     * @param version the version, or {@code null} if the model has only one
     * @return the recorder
     * @throws UnknownModelException if the model or that version is not served and may not be
     *     created, or the version is null and the model has several
     * @throws IllegalArgumentException if a model to be created on demand has an invalid name
     * @throws IllegalStateException if a model to be created on demand is already registered in the
     *     registry by someone else
     */
    public FeedbackRecorder recorder(@Nullable String name, @Nullable String version) {
        String resolved = resolveName(name, -1);
        List<FeedbackRecorder> versions = recorders.get(resolved);
        if (versions != null) {
            return select(resolved, versions, version, -1);
        }
        try {
            return recorders(List.of(new ModelRef(resolved, version))).get(0);
        } catch (UnknownModelException e) {
            throw e.at(-1);
        }
    }

    /**
     * The recorders for several models, all or nothing: models are created on demand only if every
     * one named can be served, so a request refused because of one model leaves no series behind
     * for the others.
     *
     * @param models the models as feedback names them; repeats are allowed
     * @return each one's recorder, in the order of {@code models}
     * @throws UnknownModelException for the first model (in order) that is not served and may not be
     *     created, or whose version is missing or not served; nothing was created then
     * @throws IllegalArgumentException if a name to be created is invalid; nothing was created then
     * @throws IllegalStateException if a model to be created is already registered in the registry
     *     by someone else; nothing was created then
     */
    public List<FeedbackRecorder> recorders(List<ModelRef> models) {
        Set<String> missing = null;
        for (int i = 0; i < models.size(); i++) {
            ModelRef model = models.get(i);
            String resolved = resolveName(model.name(), i);
            List<FeedbackRecorder> versions = recorders.get(resolved);
            if (versions != null) {
                select(resolved, versions, model.version(), i);
                continue;
            }
            if (!createOnDemand) {
                throw new UnknownModelException(resolved, "unknown model " + Texts.quote(resolved),
                        "not on the allowlist").at(i);
            }
            ModelId.requireValidName(resolved);
            if (model.version() != null && !model.version().equals(ModelId.UNKNOWN_VERSION)) {
                throw unknownVersion(resolved, model.version(), "models created on demand have version "
                        + ModelId.UNKNOWN_VERSION).at(i);
            }
            if (missing == null) {
                missing = new LinkedHashSet<>();
            }
            missing.add(resolved);
        }
        if (missing != null) {
            try {
                create(missing);
            } catch (UnknownModelException e) {
                throw e.at(indexOf(models, e.model()));
            }
        }
        List<FeedbackRecorder> found = new ArrayList<>(models.size());
        for (int i = 0; i < models.size(); i++) {
            String resolved = resolveName(models.get(i).name(), i);
            found.add(select(resolved, recorders.get(resolved), models.get(i).version(), i));
        }
        return found;
    }

    /** The first model of the list that resolves to {@code name}. */
    private int indexOf(List<ModelRef> models, @Nullable String name) {
        for (int i = 0; i < models.size(); i++) {
            if (Objects.equals(resolveName(models.get(i).name(), i), name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The version asked for among a name's recorders; the only one if none is asked for.
     *
     * @param index where the model is in a list asked for at once, or -1
     */
    private static FeedbackRecorder select(String name, List<FeedbackRecorder> versions, @Nullable String version,
            int index) {
        if (version == null) {
            if (versions.size() == 1) {
                return versions.get(0);
            }
            throw new UnknownModelException(name, "model " + Texts.quote(name)
                    + " has several versions: name one with model_version", "versions served: " + versionsOf(versions))
                    .at(index);
        }
        for (FeedbackRecorder recorder : versions) {
            if (recorder.model().version().equals(version)) {
                return recorder;
            }
        }
        throw unknownVersion(name, version, "versions served: " + versionsOf(versions)).at(index);
    }

    private static UnknownModelException unknownVersion(String name, String version, String detail) {
        return new UnknownModelException(name, "unknown version " + Texts.quote(version) + " of model "
                + Texts.quote(name), detail);
    }

    private static String versionsOf(List<FeedbackRecorder> versions) {
        return versions.stream().map(r -> r.model().version()).collect(Collectors.joining(", "));
    }

    /** @param index where the model is in a list asked for at once, or -1 */
    private String resolveName(@Nullable String name, int index) {
        if (name != null) {
            return name;
        }
        if (defaultModel == null) {
            throw new UnknownModelException(null, "model is required: no default model is configured",
                    "the set serves several models and none is the default").at(index);
        }
        return defaultModel;
    }

    /**
     * The recorder for a model if it has exactly one version; never creates one.
     *
     * @param name the model's name
     * @return the recorder, or empty if the model is not served or has several versions
     */
    public Optional<FeedbackRecorder> find(String name) {
        List<FeedbackRecorder> versions = recorders.get(name);
        return versions == null || versions.size() != 1 ? Optional.empty() : Optional.of(versions.get(0));
    }

    /**
     * The recorder for one version of a model if it exists; never creates one.
     *
     * @param model the model's name and version
     * @return the recorder, or empty
     */
    public Optional<FeedbackRecorder> find(ModelId model) {
        List<FeedbackRecorder> versions = recorders.getOrDefault(model.name(), List.of());
        return versions.stream().filter(r -> r.model().equals(model)).findFirst();
    }

    /**
     * The recorder a model reference names, if the set serves it now: the default model for no
     * name, the only version for no version. Never creates one.
     *
     * @param ref the model as feedback names it
     * @return the recorder, or empty if there is no default, the name is not served, or the
     *     version is not served or not named among several
     */
    public Optional<FeedbackRecorder> find(ModelRef ref) {
        String name = ref.name() != null ? ref.name() : defaultModel;
        List<FeedbackRecorder> versions = name == null ? null : recorders.get(name);
        if (versions == null) {
            return Optional.empty();
        }
        if (ref.version() == null) {
            return versions.size() == 1 ? Optional.of(versions.get(0)) : Optional.empty();
        }
        return versions.stream().filter(r -> r.model().version().equals(ref.version())).findFirst();
    }

    /**
     * The versions of a model, in the order they were declared.
     *
     * @param name the model's name
     * @return its recorders; empty if it is not served
     */
    public List<FeedbackRecorder> versions(String name) {
        return recorders.getOrDefault(name, List.of());
    }

    /** Every recorder in this set, ordered by model name, each name's versions in the order declared. */
    public List<FeedbackRecorder> all() {
        List<String> names = new ArrayList<>(recorders.keySet());
        Collections.sort(names);
        List<FeedbackRecorder> all = new ArrayList<>(size);
        names.forEach(name -> all.addAll(recorders.get(name)));
        return all;
    }

    /** The model used for feedback that names none, if any. */
    public Optional<String> defaultModel() {
        return Optional.ofNullable(defaultModel);
    }

    /** The registry the recorders publish to. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The store where the models' predictions wait for their actual values, shared by all of them. */
    public PendingStore pendingStore() {
        return pendingStore;
    }

    /** Whether this set creates a model (version {@code unknown}, binary) the first time feedback names it. */
    public boolean createsOnDemand() {
        return createOnDemand;
    }

    /** The most models (name and version) this set will hold. */
    public int maxModels() {
        return maxModels;
    }

    private FeedbackRecorder newRecorder(ModelId model, boolean onDemand) {
        FeedbackRecorder.Builder builder = FeedbackRecorder.builder(registry).model(model).pendingStore(pendingStore);
        eachModel.accept(builder);
        perModel.getOrDefault(model, settings -> { }).accept(builder);
        List<String> labels = classes.get(model.name());
        if (labels != null) {
            builder.classes(labels);
        }
        if (onDemand && builder.declaresClasses()) {
            // Feedback for a model that does not exist yet is parsed as binary: its classes are unknown.
            throw new IllegalStateException("model " + model + " would be created on demand with classes (set for every"
                    + " model); models created on demand are binary: declare a model with classes by name");
        }
        return builder.build();
    }

    /** Creates every missing model (version unknown), or none of them. */
    private synchronized void create(Set<String> names) {
        List<String> toCreate = names.stream().filter(name -> !recorders.containsKey(name)).toList();
        if (size + toCreate.size() > maxModels) {
            String first = toCreate.get(Math.max(0, maxModels - size));
            throw new UnknownModelException(first, "unknown model " + Texts.quote(first),
                    "the set creates at most " + maxModels + " models and holds " + size);
        }
        List<FeedbackRecorder> created = new ArrayList<>(toCreate.size());
        try {
            for (String name : toCreate) {
                created.add(newRecorder(ModelId.of(name), true));
            }
        } catch (RuntimeException e) {
            created.forEach(FeedbackRecorder::unregister);
            throw e;
        }
        created.forEach(recorder -> recorders.put(recorder.model().name(), List.of(recorder)));
        size += created.size();
    }

    /**
     * Configures a {@link ModelSet}. Not thread-safe; build once at start-up.
     */
    public static final class Builder {

        /** The largest cap accepted, in models (name and version). */
        public static final int MAX_MODELS_LIMIT = 10_000;

        private final MeterRegistry registry;
        private final Set<ModelId> declared = new LinkedHashSet<>();
        private final Map<ModelId, Consumer<FeedbackRecorder.Builder>> perModel = new LinkedHashMap<>();
        private final Map<String, List<String>> classes = new LinkedHashMap<>();
        private Consumer<FeedbackRecorder.Builder> eachModel = settings -> { };
        private @Nullable PendingStore pendingStore;
        private long pendingCapacity = PendingStore.DEFAULT_CAPACITY;
        private Duration pendingTtl = PendingStore.DEFAULT_TTL;
        private @Nullable String defaultModel;
        private int maxModels;
        private boolean createOnDemand;

        private Builder(MeterRegistry registry) {
            this.registry = registry;
        }

        /**
         * Declares a model, registering its meters (at 0) when the set is built. Declaring one name
         * in several versions serves them side by side (a champion and its challenger, say).
         *
         * @param name the model's name
         * @param version the model's version
         * @return this builder
         * @throws IllegalArgumentException if the name or version is invalid, or that version of
         *     the name was already declared
         */
        public Builder model(String name, String version) {
            return model(new ModelId(name, version));
        }

        /**
         * Declares a model, registering its meters (at 0) when the set is built.
         *
         * @param model the model
         * @return this builder
         * @throws IllegalArgumentException if that version of the model was already declared
         */
        public Builder model(ModelId model) {
            Objects.requireNonNull(model, "model");
            if (!declared.add(model)) {
                throw new IllegalArgumentException("model " + Texts.quote(model.name()) + " version "
                        + Texts.quote(model.version()) + " was already declared");
            }
            return this;
        }

        /**
         * Declares a model with settings of its own (its baseline, say), applied after those of
         * {@link #eachModel}, so they replace them.
         *
         * <pre>{@code
         * ModelSet.builder(registry)
         *         .model("fraud", "v3", recorder -> recorder.baseline(Baseline.parse("accuracy=0.92")))
         *         .build();
         * }</pre>
         *
         * @param name the model's name
         * @param version the model's version
         * @param settings applied to the model's {@link FeedbackRecorder.Builder}; must not set the model
         * @return this builder
         * @throws IllegalArgumentException if the name or version is invalid, or that version of
         *     the name was already declared
         */
        public Builder model(String name, String version, Consumer<FeedbackRecorder.Builder> settings) {
            ModelId model = new ModelId(name, version);
            model(model);
            perModel.put(model, Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /**
         * Declares the classes of a model, every version of it: see
         * {@link FeedbackRecorder.Builder#classes(String...)}.
         *
         * <pre>{@code
         * ModelSet.builder(registry)
         *         .model("intent", "v2")
         *         .classes("intent", "billing", "tech", "sales")
         *         .build();
         * }</pre>
         *
         * @param name the model's name, declared in this set
         * @param labels 2 to {@value ClassLabels#MAX_CLASSES} distinct labels, in the order of the matrix
         * @return this builder
         * @throws IllegalArgumentException naming the model and the label, if the declaration is
         *     invalid, or if the model's classes were already declared
         */
        public Builder classes(String name, String... labels) {
            return classes(name, Arrays.asList(labels));
        }

        /**
         * As {@link #classes(String, String...)}, from a list.
         *
         * @param name the model's name, declared in this set
         * @param labels the labels
         * @return this builder
         * @throws IllegalArgumentException if the declaration is invalid or repeated
         */
        public Builder classes(String name, List<String> labels) {
            ModelId.requireValidName(name);
            ClassLabels declared = ClassLabels.ofModel(Texts.quote(name), labels);
            if (classes.putIfAbsent(name, declared.labels()) != null) {
                throw new IllegalArgumentException("the classes of model " + Texts.quote(name) + " were already declared");
            }
            return this;
        }

        /**
         * The capacity of the in-memory pending store the models share, per model; see
         * {@link FeedbackRecorder.Builder#pendingCapacity}.
         *
         * @param capacity from 16 to 2^31 - 1
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder pendingCapacity(long capacity) {
            InMemoryPendingStore.requireValidSettings(capacity, pendingTtl);
            this.pendingCapacity = capacity;
            return this;
        }

        /**
         * The time-to-live of predictions in the in-memory pending store the models share; see
         * {@link FeedbackRecorder.Builder#pendingTtl}.
         *
         * @param ttl whole seconds, from 1 s to 365 days
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder pendingTtl(Duration ttl) {
            InMemoryPendingStore.requireValidSettings(pendingCapacity, ttl);
            this.pendingTtl = ttl;
            return this;
        }

        /**
         * A pending store of your own (one shared by replicas, say) for every model, instead of an
         * in-memory one. One store for the whole set keeps a batch's joins atomic across models; a
         * model's own store, set through {@link #model(String, String, Consumer)}, would not.
         *
         * @param store the store
         * @return this builder
         */
        public Builder pendingStore(PendingStore store) {
            this.pendingStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Settings for every model's recorder, declared or created on demand: windows, a clock, a
         * baseline. A model's own settings ({@link #model(String, String, Consumer)}) come after.
         *
         * @param settings applied to each {@link FeedbackRecorder.Builder}; must not set the model
         * @return this builder
         */
        public Builder eachModel(Consumer<FeedbackRecorder.Builder> settings) {
            this.eachModel = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The model that feedback naming no model goes to. It must be declared, unless models are
         * created on demand, in which case it is created with the set.
         *
         * @param name the model's name
         * @return this builder
         * @throws IllegalArgumentException if the name is invalid or a default was already set
         */
        public Builder defaultModel(String name) {
            ModelId.requireValidName(name);
            if (defaultModel != null) {
                throw new IllegalArgumentException("default model was already set to " + Texts.quote(defaultModel));
            }
            this.defaultModel = name;
            return this;
        }

        /**
         * Creates a model (version {@code unknown}) the first time feedback names it, up to
         * {@code maxModels} models in all, declared ones included (each version of a declared name
         * counts as one).
         *
         * @param maxModels the cap, 1 to {@value #MAX_MODELS_LIMIT}
         * @return this builder
         * @throws IllegalArgumentException if the cap is out of range or was already set
         */
        public Builder createOnDemand(int maxModels) {
            if (createOnDemand) {
                throw new IllegalArgumentException("createOnDemand was already set, with a cap of " + this.maxModels);
            }
            if (maxModels < 1 || maxModels > MAX_MODELS_LIMIT) {
                throw new IllegalArgumentException("maxModels must be between 1 and " + MAX_MODELS_LIMIT
                        + ", got " + maxModels);
            }
            this.createOnDemand = true;
            this.maxModels = maxModels;
            return this;
        }

        /**
         * Builds the set and registers the declared models' meters.
         *
         * @return the set
         * @throws IllegalArgumentException if the settings contradict each other (a default model
         *     that is not declared, more declared models than the cap) or a model is already
         *     registered in the registry
         */
        public ModelSet build() {
            if (!createOnDemand) {
                if (declared.isEmpty()) {
                    model(defaultModel == null ? ModelId.DEFAULT : ModelId.of(defaultModel));
                }
                maxModels = declared.size();
            } else if (defaultModel != null && !names().contains(defaultModel)) {
                model(ModelId.of(defaultModel));
            }
            if (defaultModel != null && !names().contains(defaultModel)) {
                throw new IllegalArgumentException("default model " + Texts.quote(defaultModel)
                        + " is not declared; declared: " + String.join(", ", names()));
            }
            for (String name : classes.keySet()) {
                if (!names().contains(name)) {
                    throw new IllegalArgumentException("classes are declared for model " + Texts.quote(name)
                            + ", which is not declared; declared: " + String.join(", ", names()));
                }
            }
            if (declared.size() > maxModels) {
                throw new IllegalArgumentException(declared.size() + " models are declared but maxModels is "
                        + maxModels);
            }
            return new ModelSet(this);
        }

        /** The declared names, in the order first declared. */
        private Set<String> names() {
            Set<String> names = new LinkedHashSet<>();
            declared.forEach(model -> names.add(model.name()));
            return names;
        }

        private @Nullable String resolveDefault() {
            if (defaultModel != null) {
                return defaultModel;
            }
            Set<String> names = names();
            return names.size() == 1 ? names.iterator().next() : null;
        }
    }
}
