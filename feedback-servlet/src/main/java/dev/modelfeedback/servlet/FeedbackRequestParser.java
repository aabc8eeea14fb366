package dev.modelfeedback.servlet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelfeedback.core.join.Ids;
import dev.modelfeedback.core.matrix.ClassLabels;
import dev.modelfeedback.core.matrix.ConfusionTally;
import dev.modelfeedback.core.model.ModelId;
import dev.modelfeedback.core.model.ModelRef;
import dev.modelfeedback.core.model.Texts;
import java.io.IOException;
import java.util.ArrayList;
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
                    default -> throw invalid("unknown field " + Texts.quote(field)
                            + "; expected prediction, actual and optionally id, model and model_version");
                }
            }
            ModelRef resolved = ref(model == null ? defaultModel : model, version);
            if (labels) {
                DeclaredClasses.Declared classes = declared(resolved);
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
            if (id != null && ordered == null) {
                // From the first item with an id on, every item is kept as sent, in order; those
                // before it stay tallied per model (each model's in order).
                ordered = new ArrayList<>();
            }
            if (ordered != null) {
                ordered.add(new ParsedFeedback.Item(Math.max(item, 0), resolved, id, prediction, actual));
            } else {
                cells(resolved).tally.add(prediction, actual);
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
            ClassLabels classes = model == null ? ClassLabels.BINARY : model.classes();
            Cells cells = tallies.computeIfAbsent(ref, m -> new Cells(item, classes));
            lastModel = ref;
            lastCells = cells;
            return cells;
        }

        private ParsedFeedback result(int items) {
            List<ParsedFeedback.ModelTally> list = new ArrayList<>(tallies.size());
            tallies.forEach((model, cells) -> list.add(new ParsedFeedback.ModelTally(model, cells.firstItem, cells.tally)));
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

        Cells(int firstItem, ClassLabels classes) {
            this.firstItem = firstItem;
            this.tally = new ConfusionTally(classes);
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
