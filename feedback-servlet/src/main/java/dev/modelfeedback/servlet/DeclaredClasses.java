package dev.modelfeedback.servlet;

import dev.modelfeedback.core.FeedbackRecorder;
import dev.modelfeedback.core.ModelSet;
import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.model.ModelRef;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which models of a set declare classes, for the parser: their items carry labels, every other
 * model's the values 0 and 1. Looks models up without creating any.
 */
final class DeclaredClasses {

    /** The classes of one model as the parser needs them: for its values and its messages. */
    record Declared(String model, ClassLabels classes) {
    }

    private final ModelSet models;
    private final boolean any;

    DeclaredClasses(ModelSet models) {
        this.models = models;
        // Models created on demand are binary: only those declared with the set can have classes.
        this.any = models.all().stream().anyMatch(FeedbackRecorder::declaresClasses);
    }

    /** Whether any model has declared classes; if none does, every value is 0 or 1. */
    boolean any() {
        return any;
    }

    /**
     * An item's model that does not resolve to one served model (no default, several versions and
     * none named, a version or a name not served and not to be created): its values are not judged,
     * as the handler refuses the item for its model.
     */
    static final Declared UNRESOLVED = new Declared("", ClassLabels.BINARY);

    /**
     * The declared classes of the model an item names; null for a binary model, one to be created
     * on demand included; {@link #UNRESOLVED} for a model the handler will refuse.
     */
    @Nullable Declared of(ModelRef ref) {
        Optional<FeedbackRecorder> recorder = models.find(ref);
        if (recorder.isEmpty()) {
            String name = ref.name() != null ? ref.name() : models.defaultModel().orElse(null);
            boolean toBeCreated = name != null && models.versions(name).isEmpty() && models.createsOnDemand();
            return toBeCreated ? null : UNRESOLVED;
        }
        FeedbackRecorder found = recorder.get();
        return found.declaresClasses() ? new Declared(found.model().name(), found.classes()) : null;
    }
}
