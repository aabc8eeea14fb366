package dev.modelfeedback.servlet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelfeedback.core.join.Ids;
import dev.modelfeedback.core.join.JoinOperation;
import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.model.ModelRef;
import dev.modelfeedback.core.model.Texts;
import dev.modelfeedback.core.scores.Scores;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code /feedback} body with a streaming parser and enforces the wire format exactly:
 * one object or a non-empty array of them, each {@code {"prediction", "actual"}} (complete
 * feedback), {@code {"id", "prediction", "actual"}} (keyed for idempotency), {@code {"id",
 * "prediction"}} (a prediction to store) or {@code {"id", "actual"}} (to join with its stored
 * prediction), each with an optional {@code "model"}; values are the JSON integers 0 and 1 only (not
 * {@code true}, {@code "1"}, {@code 1.0} or {@code null}), or for a model with declared classes one
 * of its labels: a JSON string equal to it, or a JSON integer whose decimal text it is (classes
 * {@code 0,1,2} accept {@code 2} and {@code "2"}); ids and model names follow their rules
 * ({@link Ids}, {@link ModelId}); no unknown or duplicate field; nothing after the value. Media type, size, encoding and JSON syntax are {@link JsonBodyReader}'s.
 *
 * <p>An item with a prediction may carry the model's scores: a binary model's {@code "score"}, the
 * probability of class 1, a JSON number from 0 to 1 (not {@code true}, {@code "0.5"}, {@code null}
 * or out of range); a model with declared classes' {@code "scores"}, an object with one such
 * number per class by label, none missing, none unknown or repeated, summing to 1 within
 * {@value Scores#SUM_TOLERANCE}. {@code "score": null} is refused as {@code "prediction": null}
 * is, not taken for an absent score: a client that sends null has a bug to learn about. A value no
 * model could take (not a number, out of range, a label repeated, not an object) is refused as it
 * is read; the kind of scores and their labels are judged once the item's model is known, and an
 * item of a model that will be refused (one not served) is refused for its model, not its scores.
 * Scores come with a prediction: complete items, predictions to store by id (counted with their
 * actual value when it joins) and inline items by id; an actual value alone cannot carry them.
 *
 * <p>Streaming lets it stop at the first bad token, before reading the rest of a hostile body,
 * and name the item index and field in its message. Thread-safe: all state lives in one
 * {@link #newReading() reading}.
 */
final class FeedbackRequestParser {

    private static final String PREDICTION = "prediction";
    private static final String ACTUAL = "actual";
    private static final String MODEL = "model";
    private static final String MODEL_VERSION = "model_version";
    private static final String ID = "id";
    private static final String SCORE = "score";
    private static final String SCORES = "scores";
    /** The tolerance of the sum of scores as the messages write it: 0.000001, not 1.0E-6. */
    private static final String SUM_TOLERANCE = BigDecimal.valueOf(Scores.SUM_TOLERANCE).stripTrailingZeros()
            .toPlainString();

    private final int maxBatchItems;
    /** Where items that name no model go, so that each model's items stay in one ordered tally. */
    private final @Nullable String defaultModel;
    private final DeclaredClasses declared;

    FeedbackRequestParser(int maxBatchItems, @Nullable String defaultModel, DeclaredClasses declared) {
        this.maxBatchItems = maxBatchItems;
        this.defaultModel = defaultModel;
        this.declared = declared;
    }

    /** The state of one request's parse, to hand to {@link JsonBodyReader#read}. */
    JsonBodyReader.BodyParser<ParsedFeedback> newReading() {
        return new Reading();
    }

    /** The state of one parse: where it is, for messages, and the tallies so far. */
    private final class Reading implements JsonBodyReader.BodyParser<ParsedFeedback> {

        private final Map<ModelRef, Cells> tallies = new LinkedHashMap<>(4);
        private boolean batch;
        private int item = -1;
        private @Nullable ModelRef lastModel;
        private @Nullable Cells lastCells;
        private @Nullable List<ParsedFeedback.Item> ordered;
        /** The values of the item being read, kept until its model is known when some model has classes. */
        private final Value predictionValue = new Value(PREDICTION);
        private final Value actualValue = new Value(ACTUAL);
        /** The scores of the item being read, kept until its model is known. */
        private final ScoresValue scoresValue = new ScoresValue();
        private @Nullable ModelRef lastDeclaredRef;
        private DeclaredClasses.@Nullable Declared lastDeclared;

        @Override
        public ParsedFeedback parse(JsonParser parser) throws IOException, RejectedRequestException {
            JsonToken root = parser.nextToken();
            if (root == null) {
                throw invalid("request body is empty; expected a JSON object or an array of objects");
            }
            int items;
            if (root == JsonToken.START_OBJECT) {
                item = 0;
                readItem(parser);
                items = 1;
            } else if (root == JsonToken.START_ARRAY) {
                batch = true;
                items = readBatch(parser);
            } else {
                throw invalid("body must be a JSON object or an array of objects, got " + describe(root, parser));
            }
            item = -1;
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new RejectedRequestException(RejectionReason.MALFORMED_JSON,
                        "unexpected content after the JSON value" + JsonBodyReader.at(parser.currentTokenLocation()));
            }
            return result(items);
        }

        private int readBatch(JsonParser parser) throws IOException, RejectedRequestException {
            int count = 0;
            while (true) {
                item = count;
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    break;
                }
                if (count == maxBatchItems) {
                    item = -1;
                    throw new RejectedRequestException(RejectionReason.TOO_LARGE,
                            "batch has more than " + maxBatchItems + " items");
                }
                if (token != JsonToken.START_OBJECT) {
                    throw invalid("must be an object, got " + describe(token, parser));
                }
                readItem(parser);
                count++;
            }
            if (count == 0) {
                item = -1;
                throw invalid("batch is empty; send at least one item");
            }
            return count;
        }

        private void readItem(JsonParser parser) throws IOException, RejectedRequestException {
            int prediction = -1;
            int actual = -1;
            // Without classes anywhere a value is checked as it is read, as 0 or 1; with them it is
            // kept until the item's model is known, which may be named after the values.
            boolean labels = declared.any();
            predictionValue.given = false;
            actualValue.given = false;
            scoresValue.reset();
            boolean modelSeen = false;
            String model = null;
            String version = null;
            String id = null;
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case PREDICTION -> {
                        requireFirst(prediction != -1 || predictionValue.given, field);
                        if (labels) {
                            predictionValue.keep(parser, value);
                        } else {
                            prediction = binary(parser, value, field);
                        }
                    }
                    case ACTUAL -> {
                        requireFirst(actual != -1 || actualValue.given, field);
                        if (labels) {
                            actualValue.keep(parser, value);
                        } else {
                            actual = binary(parser, value, field);
                        }
                    }
                    case MODEL -> {
                        requireFirst(modelSeen, field);
                        modelSeen = true;
                        if (value != JsonToken.VALUE_STRING) {
                            throw invalid("model must be a string, got " + describe(value, parser));
                        }
                        model = modelName(parser.getText());
                    }
                    case MODEL_VERSION -> {
                        requireFirst(version != null, field);
                        if (value != JsonToken.VALUE_STRING) {
                            throw invalid("model_version must be a string, got " + describe(value, parser));
                        }
                        version = modelVersion(parser.getText());
                    }
                    case ID -> {
                        requireFirst(id != null, field);
                        if (value != JsonToken.VALUE_STRING) {
                            throw invalid("id must be a string, got " + describe(value, parser));
                        }
                        id = id(parser.getText());
                    }
                    case SCORE -> {
                        requireFirst(scoresValue.scoreGiven, field);
                        scoresValue.readScore(parser, value);
                    }
                    case SCORES -> {
                        requireFirst(scoresValue.scoresGiven, field);
                        scoresValue.readScores(parser, value);
                    }
                    default -> throw invalid("unknown field " + Texts.quote(field)
                            + "; expected prediction, actual and optionally id, model, model_version, score or scores");
                }
            }
            ModelRef resolved = ref(model == null ? defaultModel : model, version);
            DeclaredClasses.Declared classes = null;
            if (labels) {
                classes = declared(resolved);
                prediction = predictionValue.index(classes);
                actual = actualValue.index(classes);
            }
            if (id == null) {
                if (prediction == -1) {
                    throw invalid("prediction is required");
                }
                if (actual == -1) {
                    throw invalid("actual is required");
                }
            } else if (prediction == -1 && actual == -1) {
                throw invalid("prediction or actual is required with an id");
            }
            // Without classes anywhere only "scores" needs the model looked up: to name it, or to
            // leave a model that will be refused to the handler.
            boolean scored = scoresValue.given() && scoresValue.fits(prediction, resolved,
                    labels ? classes : scoresValue.scoresGiven ? declared.of(resolved) : null);
            if (id != null && ordered == null) {
                // From the first item with an id on, every item is kept as sent, in order; those
                // before it stay tallied per model (each model's in order).
                ordered = new ArrayList<>();
            }
            if (ordered != null) {
                ordered.add(new ParsedFeedback.Item(Math.max(item, 0), resolved, id, prediction, actual,
                        scored ? scoresValue.scores() : null));
            } else {
                Cells cells = cells(resolved);
                cells.tally.add(prediction, actual);
                if (scored) {
                    scoresValue.addTo(cells.scored(), prediction, actual);
                }
            }
        }

        private String id(String value) throws RejectedRequestException {
            try {
                return Ids.requireValid(value);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }

        /** A version no model can have is the sender's mistake, found before any model is looked up. */
        private String modelVersion(String version) throws RejectedRequestException {
            try {
                return ModelId.requireValidVersion(version);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }

        /** The same reference for every item of one model, so that tallies are found without hashing a new one. */
        private ModelRef ref(@Nullable String name, @Nullable String version) {
            ModelRef last = lastModel;
            if (last != null && Objects.equals(last.name(), name) && Objects.equals(last.version(), version)) {
                return last;
            }
            return new ModelRef(name, version);
        }

        /** A name no model can have is the sender's mistake, found before any model is looked up. */
        private String modelName(String name) throws RejectedRequestException {
            try {
                return ModelId.requireValidName(name);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }

        private void requireFirst(boolean seen, String field) throws RejectedRequestException {
            if (seen) {
                throw invalid("duplicate field " + Texts.quote(field));
            }
        }

        private int binary(JsonParser parser, JsonToken value, String field)
                throws IOException, RejectedRequestException {
            if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
                int v = parser.getIntValue();
                if (v == 0 || v == 1) {
                    return v;
                }
            }
            throw invalid(field + " must be 0 or 1, got " + describe(value, parser));
        }

        /** The declared classes of an item's model, looked up once for a run of items of one model. */
        private DeclaredClasses.@Nullable Declared declared(ModelRef model) {
            if (model != lastDeclaredRef) {
                lastDeclared = declared.of(model);
                lastDeclaredRef = model;
            }
            return lastDeclared;
        }

        private Cells cells(ModelRef ref) {
            if (lastCells != null && Objects.equals(ref, lastModel)) {
                return lastCells;
            }
            DeclaredClasses.Declared model = declared.any() ? declared(ref) : null;
            Cells cells = tallies.computeIfAbsent(ref, m -> new Cells(item, model));
            lastModel = ref;
            lastCells = cells;
            return cells;
        }

        private ParsedFeedback result(int items) {
            List<ParsedFeedback.ModelTally> list = new ArrayList<>(tallies.size());
            tallies.forEach((model, cells) -> list.add(
                    new ParsedFeedback.ModelTally(model, cells.firstItem, cells.tally, cells.scored)));
            return new ParsedFeedback(items, batch, list, ordered == null ? List.of() : ordered);
        }

        /**
         * One value of the item being read, as sent: an integer, a string or anything else (kept
         * only as its description, for the message). Reused from item to item.
         */
        private final class Value {
            private final String field;
            boolean given;
            private @Nullable String text;
            private long number;
            private boolean integer;
            private @Nullable String bigInteger;
            private String description = "";

            Value(String field) {
                this.field = field;
            }

            void keep(JsonParser parser, JsonToken token) throws IOException {
                given = true;
                text = null;
                bigInteger = null;
                integer = token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                if (integer) {
                    number = parser.getLongValue();
                } else if (token == JsonToken.VALUE_STRING) {
                    text = parser.getText();
                } else if (token == JsonToken.VALUE_NUMBER_INT) {
                    // beyond a long: a label may still be its decimal text
                    bigInteger = parser.getText();
                }
                description = integer || text != null ? "" : describe(token, parser);
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    // the value is refused for what it is, not for the fields inside it
                    parser.skipChildren();
                }
            }

            /** The class index of the value for the item's model, -1 if not given. */
            int index(DeclaredClasses.@Nullable Declared model) throws RejectedRequestException {
                if (!given) {
                    return -1;
                }
                if (model == DeclaredClasses.UNRESOLVED) {
                    return 0;
                }
                if (model == null) {
                    if (integer && (number == 0 || number == 1)) {
                        return (int) number;
                    }
                    throw invalid(field + " must be 0 or 1, got " + described());
                }
                int index = text != null ? model.classes().indexOf(text)
                        : integer ? model.classes().indexOfNumber(number)
                        : bigInteger != null ? model.classes().indexOf(bigInteger) : -1;
                if (index < 0) {
                    throw invalid(field + " must be a class of model " + Texts.quote(model.model()) + ", got "
                            + described());
                }
                return index;
            }

            private String described() {
                return text != null ? "the string " + Texts.quote(text) : integer ? Long.toString(number) : description;
            }
        }

        /**
         * The scores of the item being read, as sent: a binary model's {@code score}, or the
         * {@code scores} by label, each checked to be a probability as it is read. Which kind the
         * model takes, and its labels, are checked by {@link #fits} once the model is known.
         * Reused from item to item.
         */
        private final class ScoresValue {
            boolean scoreGiven;
            boolean scoresGiven;
            private double score;
            private final String[] labels = new String[JoinOperation.MAX_CLASSES];
            private final double[] values = new double[JoinOperation.MAX_CLASSES];
            private int size;
            /** The probabilities in the order of the model's classes, once {@link #fits} has placed them. */
            private final double[] probabilities = new double[JoinOperation.MAX_CLASSES];
            /** How many classes the item's model declares, 0 for a binary one; set by {@link #fits}. */
            private int classes;

            void reset() {
                scoreGiven = false;
                scoresGiven = false;
            }

            boolean given() {
                return scoreGiven || scoresGiven;
            }

            void readScore(JsonParser parser, JsonToken value) throws IOException, RejectedRequestException {
                scoreGiven = true;
                score = probability(parser, value, SCORE);
            }

            void readScores(JsonParser parser, JsonToken value) throws IOException, RejectedRequestException {
                scoresGiven = true;
                if (value != JsonToken.START_OBJECT) {
                    throw invalid("scores must be an object with the probability of each class by label, got "
                            + describe(value, parser));
                }
                size = 0;
                for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                    String label = parser.currentName();
                    for (int i = 0; i < size; i++) {
                        if (labels[i].equals(label)) {
                            throw invalid("scores: duplicate class " + Texts.quote(label));
                        }
                    }
                    if (size == labels.length) {
                        throw invalid("scores has more than " + labels.length + " classes; a model declares at most "
                                + JoinOperation.MAX_CLASSES);
                    }
                    labels[size] = label;
                    values[size] = probability(parser, parser.nextToken(), "scores: " + Texts.quote(label));
                    size++;
                }
            }

            /** A probability as sent: a JSON number from 0 to 1, -0 taken as 0. */
            private double probability(JsonParser parser, JsonToken value, String field)
                    throws IOException, RejectedRequestException {
                if (value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NUMBER_INT) {
                    double p = parser.getDoubleValue();
                    if (p >= 0 && p <= 1) {
                        return p + 0.0;
                    }
                }
                throw invalid(field + " must be a probability from 0 to 1, got " + describe(value, parser));
            }

            /**
             * Checks that the scores come with a prediction and are of the kind the item's model
             * takes, and places a model's scores by class.
             *
             * @param prediction the item's prediction, -1 if it has none
             * @param model the item's model, for a binary model's name
             * @param kind the model's classes: null for a binary model, {@link DeclaredClasses#UNRESOLVED}
             *     for one the handler will refuse
             * @return whether to keep the scores: false for a model that will be refused
             */
            boolean fits(int prediction, ModelRef model, DeclaredClasses.@Nullable Declared kind)
                    throws RejectedRequestException {
                if (prediction == -1) {
                    throw invalid((scoreGiven ? SCORE : SCORES)
                            + " must come with a prediction, not with an actual value alone");
                }
                if (kind == DeclaredClasses.UNRESOLVED) {
                    return false;
                }
                if (kind == null) {
                    if (scoresGiven) {
                        throw invalid("scores are for models with declared classes; "
                                + (model.name() == null ? "the model" : "model " + Texts.quote(model.name()))
                                + " is binary: send score, the probability of class 1");
                    }
                    classes = 0;
                    return true;
                }
                String name = Texts.quote(kind.model());
                if (scoreGiven) {
                    throw invalid("score is for binary models; model " + name
                            + " declares classes: send scores, one probability per class");
                }
                ClassLabels declaredLabels = kind.classes();
                int k = declaredLabels.size();
                Arrays.fill(probabilities, 0, k, Double.NaN);
                for (int i = 0; i < size; i++) {
                    int c = declaredLabels.indexOf(labels[i]);
                    if (c < 0) {
                        throw invalid("scores: " + Texts.quote(labels[i]) + " is not a class of model " + name);
                    }
                    probabilities[c] = values[i];
                }
                // Summed in the classes' order, as Scores sums them: what passes here passes there.
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    if (Double.isNaN(probabilities[c])) {
                        throw invalid("scores must give every class of model " + name + " a probability; "
                                + Texts.quote(declaredLabels.label(c)) + " has none");
                    }
                    sum += probabilities[c];
                }
                if (Math.abs(sum - 1) > Scores.SUM_TOLERANCE) {
                    throw invalid("scores must sum to 1 (within " + SUM_TOLERANCE + "), got " + sum);
                }
                classes = k;
                return true;
            }

            /** The scores that {@link #fits} accepted, as a value. */
            Scores scores() {
                return classes == 0 ? Scores.binary(score) : Scores.ofClasses(Arrays.copyOf(probabilities, classes));
            }

            /** Adds the scores that {@link #fits} accepted to a model's, with the item's values. */
            void addTo(ScoredItems items, int prediction, int actual) {
                if (classes == 0) {
                    items.add(prediction, actual, score);
                } else {
                    items.add(prediction, actual, probabilities);
                }
            }
        }

        @Override
        public String where() {
            return ParsedFeedback.where(batch, item);
        }

        private RejectedRequestException invalid(String message) {
            return new RejectedRequestException(RejectionReason.INVALID_FEEDBACK, where() + message);
        }
    }

    private static final class Cells {
        final int firstItem;
        final ConfusionTally tally;
        /** How many classes the model declares, 0 for a binary one. */
        private final int classes;
        @Nullable ScoredItems scored;

        /** @param model the model's declared classes, null for a binary model */
        Cells(int firstItem, DeclaredClasses.@Nullable Declared model) {
            this.firstItem = firstItem;
            boolean declares = model != null && model != DeclaredClasses.UNRESOLVED;
            ClassLabels labels = declares ? model.classes() : ClassLabels.BINARY;
            this.tally = new ConfusionTally(labels);
            this.classes = declares ? labels.size() : 0;
        }

        /** The scores of the model's items, from the first scored one on. */
        ScoredItems scored() {
            ScoredItems items = scored;
            if (items == null) {
                items = classes == 0 ? ScoredItems.binary() : ScoredItems.ofClasses(classes);
                scored = items;
            }
            return items;
        }
    }

    /** Names a value for an error message without echoing more than a bounded part of it. */
    private static String describe(JsonToken token, JsonParser parser) throws IOException {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + Texts.quote(parser.getText());
            case VALUE_NULL -> "null";
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
