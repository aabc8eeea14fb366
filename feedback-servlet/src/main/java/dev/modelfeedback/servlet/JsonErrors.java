package dev.modelfeedback.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.modelfeedback.core.model.Texts;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a body the JSON parser refused, in our own words: the parser's messages quote
 * up to 256 characters of the body and name the parser's settings, neither of which a client should
 * get back. Each message says what was found and what was expected; a value from the body appears
 * only quoted by {@link Texts#quote} (at most {@value Texts#MAX_QUOTED} code points, escaped).
 *
 * <p>Thread-safe (stateless).
 */
final class JsonErrors {

    private static final Pattern UNEXPECTED_CHARACTER = Pattern.compile("^Unexpected character \\(.*?\\(code (\\d+)\\)\\)");
    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("^Unrecognized token '(.*)': was expecting", Pattern.DOTALL);
    private static final Pattern CLOSE_MARKER = Pattern.compile("^Unexpected close marker '(.)'");
    private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '(NaN|[+-]?Infinity|INF|[+-]INF)'");
    private static final Pattern ESCAPE = Pattern.compile("^Unrecognized character escape");

    private JsonErrors() {
    }

    /**
     * @param e the parser's refusal of a body's syntax
     * @return what is wrong, without a location; empty if the parser's words say nothing we can
     *     put in ours (the caller still gives the line and column)
     */
    static String syntax(JsonProcessingException e) {
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), "");
        Matcher m = UNEXPECTED_CHARACTER.matcher(message);
        if (m.find()) {
            return "unexpected character " + character(Integer.parseInt(m.group(1))) + expected(message);
        }
        m = UNRECOGNIZED_TOKEN.matcher(message);
        if (m.find()) {
            return "unexpected word " + Texts.quote(m.group(1)) + "; expected a value";
        }
        m = NON_STANDARD.matcher(message);
        if (m.find()) {
            return Texts.quote(m.group(1)) + " is not a JSON number";
        }
        m = CLOSE_MARKER.matcher(message);
        if (m.find()) {
            return "unexpected " + Texts.quote(m.group(1));
        }
        if (message.startsWith("Unexpected end-of-input")) {
            return "the body ends inside a JSON value";
        }
        if (message.startsWith("Invalid numeric value: Leading zeroes")) {
            return "a number must not start with 0";
        }
        if (message.startsWith("Invalid numeric value")) {
            return "invalid number";
        }
        if (message.startsWith("Illegal unquoted character")) {
            return "a control character in a string must be escaped";
        }
        if (ESCAPE.matcher(message).find()) {
            return "invalid escape in a string";
        }
        if (message.startsWith("Invalid UTF-8")) {
            return "body is not valid UTF-8";
        }
        return "";
    }

    /**
     * @param e the parser's refusal of a body beyond its limits
     * @return which limit, in our words
     */
    static String limit(StreamConstraintsException e) {
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), "");
        if (message.startsWith("Number value length")) {
            return "a number is longer than " + JsonBodyReader.MAX_NUMBER_LENGTH + " characters";
        }
        if (message.startsWith("String value length")) {
            // Also what the parser says of a number longer than a string may be.
            return "a value is longer than " + JsonBodyReader.MAX_STRING_LENGTH + " characters";
        }
        if (message.startsWith("Name length")) {
            return "a field name is longer than " + JsonBodyReader.MAX_NAME_LENGTH + " characters";
        }
        if (message.contains("nesting depth")) {
            return "values are nested deeper than " + JsonBodyReader.MAX_NESTING_DEPTH + " levels";
        }
        return "the body exceeds a limit of the server";
    }

    /** What the parser expected instead, from the tail of its message. */
    private static String expected(String message) {
        if (message.contains("comment")) {
            return "; JSON has no comments";
        }
        if (message.contains("expected a valid value")) {
            return "; expected a value";
        }
        if (message.contains("to start field name")) {
            return "; expected a field name in double quotes";
        }
        if (message.contains("a colon to separate")) {
            return "; expected ':'";
        }
        if (message.contains("separate Object entries")) {
            return "; expected ',' or '}'";
        }
        if (message.contains("separate Array entries")) {
            return "; expected ',' or ']'";
        }
        if (message.contains("separating root-level values")) {
            return "; expected the end of the body";
        }
        return "";
    }

    private static String character(int code) {
        return Character.isValidCodePoint(code) ? Texts.quote(new String(Character.toChars(code))) : "U+" + code;
    }
}
