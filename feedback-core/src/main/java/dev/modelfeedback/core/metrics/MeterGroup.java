package dev.modelfeedback.core.metrics;

import dev.modelfeedback.core.model.ModelId;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The meters of one recorder, all registered one way: each part of the recorder (its matrix, its
 * baseline, its drift detectors, its joins) registers through {@link #add}, with the model's
 * {@link #tags()}, and {@link #removeAll()} takes every one of them out of the registry again.
 *
 * <pre>{@code
 * MeterGroup meters = new MeterGroup(registry, model);
 * meters.add(r -> Gauge.builder("model.accuracy", counter, c -> ...).tags(meters.tags()).register(r));
 * meters.removeAll();
 * }</pre>
 *
 * <p>Registering and removing are not thread-safe: a recorder does both once, while it is built
 * and when it is unregistered.
 */
public final class MeterGroup {

    /** The tag of a model's name on every meter. */
    public static final String TAG_MODEL = "model";
    /** The tag of a model's version on every meter. */
    public static final String TAG_MODEL_VERSION = "model_version";

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();

    /**
     * @param registry the registry, the caller's
     * @param model the model whose meters these are
     */
    public MeterGroup(MeterRegistry registry, ModelId model) {
        this.registry = registry;
        this.tags = Tags.of(TAG_MODEL, model.name(), TAG_MODEL_VERSION, model.version());
    }

    /** The model's tags: {@code model} and {@code model_version}. */
    public Tags tags() {
        return tags;
    }

    /**
     * Registers one meter and remembers it, for {@link #removeAll()}.
     *
     * @param registration builds the meter with {@link #tags()} (and its own) and registers it in the registry given
     * @return the meter
     */
    public <M extends Meter> M add(Function<MeterRegistry, M> registration) {
        M meter = registration.apply(registry);
        meters.add(meter);
        return meter;
    }

    /** Removes every meter of the group from the registry. */
    public void removeAll() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    /** How many meters the group holds. */
    public int size() {
        return meters.size();
    }
}
