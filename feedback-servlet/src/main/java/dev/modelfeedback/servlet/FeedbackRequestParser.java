package dev.modelfeedback.servlet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import dev.modelfeedback.core.ClassificationSnapshot;
import dev.modelfeedback.core.Outcome;
import dev.modelfeedback.core.Texts;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code /feedback} body with a streaming parser and enforces the wire format exactly:
 * one object {@code {"prediction":0|1, "actual":0|1, "model":"name"?}} or a non-empty array of
 * them; values are the JSON integers 0 and 1 only (not {@code true}, {@code "1"}, {@code 1.0} or
 * {@code null}); no unknown or duplicate field; nothing after the value.
 *
 * <p>Streaming lets it stop at the first bad token, before reading the rest of a hostile body,
 * and name the item index and field in its message. Thread-safe: all state lives in one call.
 */
final class FeedbackRequestParser {

    private static final String PREDICTION = "prediction";
    private static final String ACTUAL = "actual";
    private static final String MODEL = "model";
    /** Jackson's location suffix; the handler reports line and column itself. */
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\s*\\[Source: [^\\]]*\\]");
    /** Jackson's pointer to its own configuration method, noise to a client. */
    private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(", from `[^`]*`");

    private final FeedbackJson json;
    private final int maxBatchItems;

    FeedbackRequestParser(FeedbackJson json, int maxBatchItems) {
        this.json = json;
        this.maxBatchItems = maxBatchItems;
    }

    /**
     * Parses and validates a body.
     *
     * @param body the request body, already bounded in size
     * @return the tallied feedback, not yet counted
     * @throws RejectedFeedbackException if the body breaks the format; the message names the item
     *     and field
     * @throws IOException if reading the body fails (the client went away, or the size limit hit)
     */
    ParsedFeedback parse(InputStream body) throws RejectedFeedbackException, IOException {
        Reading reading = new Reading();
        try (JsonParser parser = json.createParser(body)) {
            // Jackson picks its parser by sniffing the encoding; JSON on the wire is UTF-8 (RFC 8259).
            if (!(parser instanceof UTF8StreamJsonParser)) {
                throw new RejectedFeedbackException(RejectionReason.MALFORMED_JSON,
                        "malformed JSON: body must be encoded in UTF-8");
            }
            return reading.read(parser);
        } catch (StreamConstraintsException e) {
            throw new RejectedFeedbackException(RejectionReason.MALFORMED_JSON,
                    reading.where() + "JSON exceeds a limit: " + clean(e));
        } catch (JsonProcessingException e) {
            throw new RejectedFeedbackException(RejectionReason.MALFORMED_JSON,
                    reading.where() + "malformed JSON" + at(e.getLocation()) + ": " + clean(e));
        } catch (CharConversionException e) {
            throw new RejectedFeedbackException(RejectionReason.MALFORMED_JSON,
                    reading.where() + "malformed JSON: body is not valid UTF-8");
        }
    }

    private static String clean(JsonProcessingException e) {
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), e.getClass().getSimpleName());
        message = SOURCE_LOCATION.matcher(message).replaceAll("");
        message = CONSTRAINT_SOURCE.matcher(message).replaceAll("");
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    private static String at(@Nullable JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The state of one parse: where it is, for messages, and the tallies so far. */
    private final class Reading {

        private final Map<@Nullable String, Cells> tallies = new LinkedHashMap<>(4);
        private boolean batch;
        private int item = -1;
        private @Nullable String lastModel;
        private @Nullable Cells lastCells;

        ParsedFeedback read(JsonParser parser) throws IOException, RejectedFeedbackException {
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
                throw new RejectedFeedbackException(RejectionReason.MALFORMED_JSON,
                        "unexpected content after the JSON value" + at(parser.currentTokenLocation()));
            }
            return result(items);
        }

        private int readBatch(JsonParser parser) throws IOException, RejectedFeedbackException {
            int count = 0;
            while (true) {
                item = count;
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    break;
                }
                if (count == maxBatchItems) {
                    item = -1;
                    throw new RejectedFeedbackException(RejectionReason.TOO_LARGE,
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

        private void readItem(JsonParser parser) throws IOException, RejectedFeedbackException {
            int prediction = -1;
            int actual = -1;
            boolean modelSeen = false;
            String model = null;
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case PREDICTION -> {
                        requireFirst(prediction != -1, field);
                        prediction = binary(parser, value, field);
                    }
                    case ACTUAL -> {
                        requireFirst(actual != -1, field);
                        actual = binary(parser, value, field);
                    }
                    case MODEL -> {
                        requireFirst(modelSeen, field);
                        modelSeen = true;
                        if (value != JsonToken.VALUE_STRING) {
                            throw invalid("model must be a string, got " + describe(value, parser));
                        }
                        model = parser.getText();
                    }
                    default -> throw invalid("unknown field " + Texts.quote(field)
                            + "; expected prediction, actual and optionally model");
                }
            }
            if (prediction == -1) {
                throw invalid("prediction is required");
            }
            if (actual == -1) {
                throw invalid("actual is required");
            }
            cells(model).counts[Outcome.of(prediction, actual).ordinal()]++;
        }

        private void requireFirst(boolean seen, String field) throws RejectedFeedbackException {
            if (seen) {
                throw invalid("duplicate field " + Texts.quote(field));
            }
        }

        private int binary(JsonParser parser, JsonToken value, String field)
                throws IOException, RejectedFeedbackException {
            if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
                int v = parser.getIntValue();
                if (v == 0 || v == 1) {
                    return v;
                }
            }
            throw invalid(field + " must be 0 or 1, got " + describe(value, parser));
        }

        private Cells cells(@Nullable String model) {
            if (lastCells != null && Objects.equals(model, lastModel)) {
                return lastCells;
            }
            Cells cells = tallies.computeIfAbsent(model, m -> new Cells(item));
            lastModel = model;
            lastCells = cells;
            return cells;
        }

        private ParsedFeedback result(int items) {
            List<ParsedFeedback.ModelTally> list = new ArrayList<>(tallies.size());
            tallies.forEach((model, cells) -> list.add(new ParsedFeedback.ModelTally(model, cells.firstItem,
                    new ClassificationSnapshot(
                            cells.counts[Outcome.TRUE_POSITIVE.ordinal()],
                            cells.counts[Outcome.TRUE_NEGATIVE.ordinal()],
                            cells.counts[Outcome.FALSE_POSITIVE.ordinal()],
                            cells.counts[Outcome.FALSE_NEGATIVE.ordinal()]))));
            return new ParsedFeedback(items, batch, list);
        }

        String where() {
            return ParsedFeedback.where(batch, item);
        }

        private RejectedFeedbackException invalid(String message) {
            return new RejectedFeedbackException(RejectionReason.INVALID_FEEDBACK, where() + message);
        }
    }

    private static final class Cells {
        final int firstItem;
        final long[] counts = new long[4];

        Cells(int firstItem) {
            this.firstItem = firstItem;
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
