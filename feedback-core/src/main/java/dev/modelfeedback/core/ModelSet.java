package dev.modelfeedback.core;

import dev.modelfeedback.core.join.InMemoryPendingStore;
import dev.modelfeedback.core.join.PendingStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The recorders of a server that serves several models, keyed by model name, bounded so that
 * request input can never mint an unbounded number of time series.
 *
 * <pre>{@code
 * // An allowlist: feedback for any other model is an UnknownModelException.
 * ModelSet models = ModelSet.builder(registry)
 *         .model("fraud", "v3")
 *         .model("churn", "v1")
 *         .defaultModel("fraud")       // for feedback that names no model
 *         .build();
 * models.recorder("churn").record(1, 1);
 *
 * // Or models created on first use (version "unknown"), at most 20 of them.
 * ModelSet onDemand = ModelSet.builder(registry).createOnDemand(20).build();
 * }</pre>
 *
 * <p>With no model declared and no on-demand creation, the set serves one model, {@code default}
 * (version {@code unknown}), which is also the default. With exactly one declared model, that model
 * is the default.
 *
 * <p>Thread-safe. Looking up an existing model takes no lock; creating one on demand does.
 */
public final class ModelSet {

    private final MeterRegistry registry;
    private final Map<String, FeedbackRecorder> recorders;
    private final @Nullable String defaultModel;
    private final int maxModels;
    private final boolean createOnDemand;
    private final Consumer<FeedbackRecorder.Builder> eachModel;
    private final PendingStore pendingStore;
    private final Map<String, Consumer<FeedbackRecorder.Builder>> perModel;

    private ModelSet(Builder builder) {
        this.registry = builder.registry;
        this.eachModel = builder.eachModel;
        this.pendingStore = builder.pendingStore != null ? builder.pendingStore
                : new InMemoryPendingStore(builder.pendingCapacity, builder.pendingTtl);
        this.perModel = Map.copyOf(builder.perModel);
        this.maxModels = builder.maxModels;
        this.createOnDemand = builder.createOnDemand;
        this.recorders = new ConcurrentHashMap<>();
        // Register in declaration order; if one registration fails, undo the others.
        try {
            builder.declared.values().forEach(model -> recorders.put(model.name(), newRecorder(model)));
        } catch (RuntimeException e) {
            recorders.values().forEach(FeedbackRecorder::unregister);
            throw e;
        }
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
     * The recorder for a model, created first if this set creates models on demand.
     *
     * @param name the model's name, or {@code null} for the default model
     * @return the model's recorder
     * @throws UnknownModelException if the model is not served and may not be created, or if
     *     {@code name} is null and there is no default model
     * @throws IllegalArgumentException if a model to be created on demand has an invalid name
     * @throws IllegalStateException if a model to be created on demand is already registered in the
     *     registry by someone else: a configuration fault of the server, not of the caller
     */
    public FeedbackRecorder recorder(@Nullable String name) {
        FeedbackRecorder recorder = recorders.get(resolveName(name));
        return recorder != null ? recorder : recorders(Collections.singletonList(name)).get(0);
    }

    /**
     * The recorders for several models, all or nothing: models are created on demand only if every
     * name can be served, so a request refused because of one name leaves no series behind for the
     * others.
     *
     * @param names model names, {@code null} for the default model; repeats are allowed
     * @return each name's recorder, in the order of {@code names}
     * @throws UnknownModelException for the first name (in order) that is not served and may not be
     *     created; nothing was created then
     * @throws IllegalArgumentException if a name to be created is invalid; nothing was created then
     * @throws IllegalStateException if a model to be created is already registered in the registry
     *     by someone else; nothing was created then
     */
    public List<FeedbackRecorder> recorders(List<@Nullable String> names) {
        Set<String> missing = null;
        for (String name : names) {
            String resolved = resolveName(name);
            if (!recorders.containsKey(resolved)) {
                if (!createOnDemand) {
                    throw new UnknownModelException(resolved, "unknown model " + Texts.quote(resolved),
                            "not on the allowlist");
                }
                ModelId.requireValidName(resolved);
                if (missing == null) {
                    missing = new LinkedHashSet<>();
                }
                missing.add(resolved);
            }
        }
        if (missing != null) {
            create(missing);
        }
        List<FeedbackRecorder> found = new ArrayList<>(names.size());
        for (String name : names) {
            found.add(recorders.get(resolveName(name)));
        }
        return found;
    }

    private String resolveName(@Nullable String name) {
        if (name != null) {
            return name;
        }
        if (defaultModel == null) {
            throw new UnknownModelException(null, "model is required: no default model is configured",
                    "the set serves several models and none is the default");
        }
        return defaultModel;
    }

    /**
     * The recorder for a model if it exists; never creates one.
     *
     * @param name the model's name
     * @return the recorder, or empty
     */
    public Optional<FeedbackRecorder> find(String name) {
        return Optional.ofNullable(recorders.get(name));
    }

    /** Every recorder in this set, ordered by model name. */
    public List<FeedbackRecorder> all() {
        List<FeedbackRecorder> all = new ArrayList<>(recorders.values());
        all.sort(Comparator.comparing(r -> r.model().name()));
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

    /** The most models this set will hold. */
    public int maxModels() {
        return maxModels;
    }

    private FeedbackRecorder newRecorder(ModelId model) {
        FeedbackRecorder.Builder builder = FeedbackRecorder.builder(registry).model(model).pendingStore(pendingStore);
        eachModel.accept(builder);
        perModel.getOrDefault(model.name(), settings -> { }).accept(builder);
        return builder.build();
    }

    /** Creates every missing model, or none of them. */
    private synchronized void create(Set<String> names) {
        List<String> toCreate = names.stream().filter(name -> !recorders.containsKey(name)).toList();
        if (recorders.size() + toCreate.size() > maxModels) {
            String first = toCreate.get(Math.max(0, maxModels - recorders.size()));
            throw new UnknownModelException(first, "unknown model " + Texts.quote(first),
                    "the set creates at most " + maxModels + " models and holds " + recorders.size());
        }
        List<FeedbackRecorder> created = new ArrayList<>(toCreate.size());
        try {
            for (String name : toCreate) {
                created.add(newRecorder(ModelId.of(name)));
            }
        } catch (RuntimeException e) {
            created.forEach(FeedbackRecorder::unregister);
            throw e;
        }
        created.forEach(recorder -> recorders.put(recorder.model().name(), recorder));
    }

    /**
     * Configures a {@link ModelSet}. Not thread-safe; build once at start-up.
     */
    public static final class Builder {

        /** The largest cap accepted: each model costs eight time series. */
        public static final int MAX_MODELS_LIMIT = 10_000;

        private final MeterRegistry registry;
        private final Map<String, ModelId> declared = new LinkedHashMap<>();
        private final Map<String, Consumer<FeedbackRecorder.Builder>> perModel = new LinkedHashMap<>();
        private Consumer<FeedbackRecorder.Builder> eachModel = settings -> { };
        private @Nullable PendingStore pendingStore;
        private long pendingCapacity = InMemoryPendingStore.DEFAULT_CAPACITY;
        private Duration pendingTtl = InMemoryPendingStore.DEFAULT_TTL;
        private @Nullable String defaultModel;
        private int maxModels;
        private boolean createOnDemand;

        private Builder(MeterRegistry registry) {
            this.registry = registry;
        }

        /**
         * Declares a model, registering its meters (at 0) when the set is built.
         *
         * @param name the model's name
         * @param version the model's version
         * @return this builder
         * @throws IllegalArgumentException if the name or version is invalid, or the name was
         *     already declared
         */
        public Builder model(String name, String version) {
            return model(new ModelId(name, version));
        }

        /**
         * Declares a model, registering its meters (at 0) when the set is built.
         *
         * @param model the model
         * @return this builder
         * @throws IllegalArgumentException if a model of that name was already declared
         */
        public Builder model(ModelId model) {
            Objects.requireNonNull(model, "model");
            ModelId previous = declared.putIfAbsent(model.name(), model);
            if (previous != null) {
                throw new IllegalArgumentException("model " + Texts.quote(model.name())
                        + " was already declared, as " + previous);
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
         * @throws IllegalArgumentException if the name or version is invalid, or the name was
         *     already declared
         */
        public Builder model(String name, String version, Consumer<FeedbackRecorder.Builder> settings) {
            model(new ModelId(name, version));
            perModel.put(name, Objects.requireNonNull(settings, "settings"));
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
         * {@code maxModels} models in all, declared ones included.
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
            } else if (defaultModel != null && !declared.containsKey(defaultModel)) {
                model(ModelId.of(defaultModel));
            }
            if (defaultModel != null && !declared.containsKey(defaultModel)) {
                throw new IllegalArgumentException("default model " + Texts.quote(defaultModel)
                        + " is not declared; declared: " + String.join(", ", declared.keySet()));
            }
            if (declared.size() > maxModels) {
                throw new IllegalArgumentException(declared.size() + " models are declared but maxModels is "
                        + maxModels);
            }
            return new ModelSet(this);
        }

        private @Nullable String resolveDefault() {
            if (defaultModel != null) {
                return defaultModel;
            }
            return declared.size() == 1 ? declared.keySet().iterator().next() : null;
        }
    }
}
