package dev.modelfeedback.servlet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One family of bad input for {@code POST /feedback}: what is sent and exactly what must come back.
 *
 * @param error the exact error text
 */
record BadRequest(String name, @Nullable String contentType, byte[] body, boolean chunked,
        int status, RejectionReason reason, String error) {

    private static final String JSON = "application/json";

    @Override
    public String toString() {
        return name;
    }

    static BadRequest invalid(String name, String body, String error) {
        return new BadRequest(name, JSON, utf8(body), false, 400, RejectionReason.INVALID_FEEDBACK, error);
    }

    static BadRequest malformed(String name, byte[] body, String error) {
        return new BadRequest(name, JSON, body, false, 400, RejectionReason.MALFORMED_JSON, error);
    }

    static BadRequest malformed(String name, String body, String error) {
        return malformed(name, utf8(body), error);
    }

    /**
     * The column of an unknown word in the parser's error location: from Jackson 2.21 on where the
     * word starts, before that one byte past the byte that ended it (the compatibility builds run
     * the older Jackson that Spring Boot 3.5 manages).
     */
    static int wordColumn(int fromJackson221, int before) {
        return com.fasterxml.jackson.core.json.PackageVersion.VERSION.getMinorVersion() >= 21 ? fromJackson221 : before;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid item followed by whitespace up to {@code bytes} bytes: valid JSON, if it were small. */
    static byte[] padded(int bytes) {
        byte[] item = utf8("{\"prediction\":1,\"actual\":1}");
        byte[] body = new byte[bytes];
        java.util.Arrays.fill(body, (byte) ' ');
        System.arraycopy(item, 0, body, 0, item.length);
        return body;
    }

    /** Every bad request the contract covers; each must change no count. */
    static List<BadRequest> all() {
        String ok = "\"prediction\":1,\"actual\":1";
        List<BadRequest> all = new ArrayList<>(List.of(
                invalid("empty body", "", "request body is empty; expected a JSON object or an array of objects"),
                invalid("whitespace only", "  \n ", "request body is empty; expected a JSON object or an array of objects"),
                invalid("prediction 2", "{\"prediction\":2,\"actual\":1}", "prediction must be 0 or 1, got 2"),
                invalid("prediction -1", "{\"prediction\":-1,\"actual\":1}", "prediction must be 0 or 1, got -1"),
                invalid("actual 2", "{\"prediction\":0,\"actual\":2}", "actual must be 0 or 1, got 2"),
                invalid("prediction true", "{\"prediction\":true,\"actual\":1}", "prediction must be 0 or 1, got true"),
                invalid("actual false", "{\"prediction\":1,\"actual\":false}", "actual must be 0 or 1, got false"),
                invalid("prediction as string", "{\"prediction\":\"1\",\"actual\":1}",
                        "prediction must be 0 or 1, got the string '1'"),
                invalid("prediction 1.0", "{\"prediction\":1.0,\"actual\":1}", "prediction must be 0 or 1, got 1.0"),
                invalid("actual 0.0", "{\"prediction\":1,\"actual\":0.0}", "actual must be 0 or 1, got 0.0"),
                invalid("prediction 1e0", "{\"prediction\":1e0,\"actual\":1}", "prediction must be 0 or 1, got 1e0"),
                invalid("prediction null", "{\"prediction\":null,\"actual\":1}", "prediction must be 0 or 1, got null"),
                invalid("prediction object", "{\"prediction\":{\"v\":1},\"actual\":1}",
                        "prediction must be 0 or 1, got an object"),
                invalid("actual array", "{\"prediction\":1,\"actual\":[1]}", "actual must be 0 or 1, got an array"),
                invalid("long integer", "{\"prediction\":99999999999,\"actual\":1}",
                        "prediction must be 0 or 1, got 99999999999"),
                invalid("missing prediction", "{\"actual\":1}", "prediction is required"),
                invalid("missing actual", "{\"prediction\":1}", "actual is required"),
                invalid("empty object", "{}", "prediction is required"),
                invalid("unknown field", "{" + ok + ",\"confidence\":0.9}",
                        "unknown field 'confidence'; expected prediction, actual and optionally id, model, model_version, score or scores"),
                invalid("field names are case-sensitive", "{\"Prediction\":1,\"actual\":1}",
                        "unknown field 'Prediction'; expected prediction, actual and optionally id, model, model_version, score or scores"),
                invalid("duplicate key", "{\"prediction\":1,\"actual\":1,\"prediction\":0}",
                        "duplicate field 'prediction'"),
                invalid("duplicate model", "{" + ok + ",\"model\":\"fraud\",\"model\":\"churn\"}",
                        "duplicate field 'model'"),
                invalid("model not a string", "{" + ok + ",\"model\":7}", "model must be a string, got 7"),
                invalid("model null", "{" + ok + ",\"model\":null}", "model must be a string, got null"),
                invalid("root number", "1", "body must be a JSON object or an array of objects, got 1"),
                invalid("root string", "\"feedback\"",
                        "body must be a JSON object or an array of objects, got the string 'feedback'"),
                invalid("root null", "null", "body must be a JSON object or an array of objects, got null"),
                invalid("empty batch", "[]", "batch is empty; send at least one item"),
                invalid("batch item not an object", "[{" + ok + "},1]", "item 1: must be an object, got 1"),
                invalid("batch item nested array", "[[{" + ok + "}]]", "item 0: must be an object, got an array"),
                invalid("bad value in a batch", "[{" + ok + "},{" + ok + "},{\"prediction\":1,\"actual\":3}]",
                        "item 2: actual must be 0 or 1, got 3"),
                invalid("deep nesting", "{\"prediction\":" + "[".repeat(5000) + "1" + "]".repeat(5000) + ",\"actual\":1}",
                        "prediction must be 0 or 1, got an array"),
                invalid("duplicate model_version", "{" + ok + ",\"model_version\":\"v3\",\"model_version\":\"v3\"}",
                        "duplicate field 'model_version'"),
                invalid("model_version not a string", "{" + ok + ",\"model_version\":3}",
                        "model_version must be a string, got 3"),
                invalid("model_version empty", "{" + ok + ",\"model_version\":\"\"}",
                        "model_version must be 1 to 64 characters long, got 0 characters"),
                invalid("model_version with a space", "{" + ok + ",\"model_version\":\"v 3\"}",
                        "model_version must start with a letter or digit and contain only letters, digits and . _ - + :,"
                                + " got 'v 3'"),
                new BadRequest("unknown model version", JSON, utf8("[{" + ok + "},{" + ok + ",\"model_version\":\"v9\"}]"),
                        false, 400, RejectionReason.UNKNOWN_MODEL, "item 1: unknown version 'v9' of model 'fraud'"),
                new BadRequest("unknown model", JSON, utf8("{" + ok + ",\"model\":\"spam\"}"), false, 400,
                        RejectionReason.UNKNOWN_MODEL, "unknown model 'spam'"),
                new BadRequest("unknown model in a batch", JSON,
                        utf8("[{" + ok + "},{" + ok + ",\"model\":\"churn\"},{" + ok + ",\"model\":\"spam\"}]"), false,
                        400, RejectionReason.UNKNOWN_MODEL, "item 2: unknown model 'spam'"),
                invalid("overlong model name", "{" + ok + ",\"model\":\"x\\n" + "y".repeat(500) + "\"}",
                        "model must be 1 to 64 characters long, got 502 characters"),
                invalid("model name with a line feed", "{" + ok + ",\"model\":\"x\\ny\"}",
                        "model must start with a letter or digit and contain only letters, digits and . _ - + :,"
                                + " got 'x\\u000ay'"),
                invalid("model name with a bidi override", "{" + ok + ",\"model\":\"txt\u202egpj.exe\"}",
                        "model must start with a letter or digit and contain only letters, digits and . _ - + :,"
                                + " got 'txt\\u202egpj.exe'"),
                invalid("model name with a next line", "[{" + ok + "},{" + ok + ",\"model\":\"a\u0085b\"}]",
                        "item 1: model must start with a letter or digit and contain only letters, digits and"
                                + " . _ - + :, got 'a\\u0085b'"),
                invalid("model name with a line separator", "{" + ok + ",\"model\":\"a\u2028b\"}",
                        "model must start with a letter or digit and contain only letters, digits and . _ - + :,"
                                + " got 'a\\u2028b'"),
                invalid("model name with a lone surrogate", "{" + ok + ",\"model\":\"a\\ud800\"}",
                        "model must start with a letter or digit and contain only letters, digits and . _ - + :,"
                                + " got 'a\\ud800'"),
                invalid("id not a string", "{\"id\":7,\"prediction\":1}", "id must be a string, got 7"),
                invalid("id null", "{\"id\":null,\"actual\":1}", "id must be a string, got null"),
                invalid("id empty", "{\"id\":\"\",\"actual\":1}", "id must be 1 to 128 characters long, got 0 characters"),
                invalid("id too long", "{\"id\":\"" + "x".repeat(129) + "\",\"actual\":1}",
                        "id must be 1 to 128 characters long, got 129 characters"),
                invalid("id with a space", "{\"id\":\"a b\",\"actual\":1}",
                        "id may contain only letters, digits and . _ - : / + = ~, got 'a b'"),
                invalid("id with a line break", "[{\"id\":\"ok\",\"actual\":1},{\"id\":\"a\\nb\",\"actual\":1}]",
                        "item 1: id may contain only letters, digits and . _ - : / + = ~, got 'a\\u000ab'"),
                invalid("id alone", "{\"id\":\"abc\"}", "prediction or actual is required with an id"),
                invalid("a batch mixing every form with one bad item",
                        "[{\"id\":\"m1\",\"prediction\":1},{\"prediction\":1,\"actual\":1},{\"id\":\"m2\",\"actual\":1},"
                                + "{\"id\":\"m3\",\"prediction\":1,\"actual\":0},{\"id\":\"m4\",\"prediction\":3}]",
                        "item 4: prediction must be 0 or 1, got 3"),
                invalid("duplicate id", "{\"id\":\"a\",\"id\":\"b\",\"actual\":1}", "duplicate field 'id'"),
                invalid("bad value with an id", "{\"id\":\"a\",\"actual\":2}", "actual must be 0 or 1, got 2"),
                invalid("field name with a bidi isolate", "{" + ok + ",\"\u2067x\":1}",
                        "unknown field '\\u2067x'; expected prediction, actual and optionally id, model, model_version, score or scores"),
                malformed("not JSON", "prediction=1&actual=1", "malformed JSON at line 1, column " + wordColumn(1, 12) + ": unexpected word 'prediction'; expected a value"),
                malformed("truncated object", "{\"prediction\":1,\"act", "malformed JSON at line 1, column 21: the body ends inside a JSON value"),
                malformed("truncated batch", "[{" + ok + "},{" + ok, "item 1: malformed JSON at line 1, column 56: the body ends inside a JSON value"),
                malformed("truncated after comma", "[{" + ok + "},", "item 1: malformed JSON at line 1, column 30: the body ends inside a JSON value"),
                malformed("trailing garbage", "{" + ok + "} x", "malformed JSON at line 1, column " + wordColumn(29, 30) + ": unexpected word 'x'; expected a value"),
                new BadRequest("two documents", JSON, utf8("{" + ok + "} {" + ok + "}"), false, 400,
                        RejectionReason.MALFORMED_JSON, "unexpected content after the JSON value at line 1, column 29"),
                malformed("single quotes", "{'prediction':1,'actual':1}", "malformed JSON at line 1, column 2: unexpected character '\''; expected a field name in double quotes"),
                malformed("comment", "{\"prediction\":1,/* x */\"actual\":1}", "malformed JSON at line 1, column 17: unexpected character '/'; JSON has no comments"),
                malformed("NaN literal", "{\"prediction\":NaN,\"actual\":1}", "malformed JSON at line 1, column 18: 'NaN' is not a JSON number"),
                malformed("leading zero", "{\"prediction\":01,\"actual\":1}", "malformed JSON at line 1, column 16: a number must not start with 0"),
                malformed("trailing comma", "{\"prediction\":1,\"actual\":1,}", "malformed JSON at line 1, column 28: unexpected character '}'; expected a field name in double quotes"),
                new BadRequest("long number", JSON, utf8("{\"prediction\":" + "9".repeat(100) + ",\"actual\":1}"),
                        false, 400, RejectionReason.MALFORMED_JSON,
                        "JSON exceeds a limit: a number is longer than 32 characters"),
                malformed("huge number", "{\"prediction\":" + "9".repeat(100_000) + ",\"actual\":1}",
                        "JSON exceeds a limit: a value is longer than 1024 characters"),
                invalid("huge exponent", "{\"prediction\":1e99999999999,\"actual\":1}",
                        "prediction must be 0 or 1, got 1e99999999999"),
                malformed("overlong string", "{" + ok + ",\"model\":\"" + "m".repeat(5000) + "\"}",
                        "JSON exceeds a limit: a value is longer than 1024 characters"),
                malformed("overlong field name", "{\"" + "f".repeat(5000) + "\":1}",
                        "JSON exceeds a limit: a field name is longer than 256 characters"),
                malformed("invalid UTF-8 in a string",
                        concat(utf8("{" + ok + ",\"model\":\"fr"), new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\"}")),
                        "malformed JSON at line 1, column 41: body is not valid UTF-8"),
                malformed("invalid UTF-8 byte", concat(utf8("{" + ok + ",\"model\":\""), new byte[] {(byte) 0xFF},
                        utf8("\"}")), "malformed JSON at line 1, column 38: body is not valid UTF-8"),
                new BadRequest("UTF-16 body", JSON,
                        "{\"prediction\":1,\"actual\":1}".getBytes(StandardCharsets.UTF_16LE), false, 400,
                        RejectionReason.MALFORMED_JSON, "malformed JSON: body must be encoded in UTF-8"),
                new BadRequest("UTF-32 body", JSON,
                        "{\"prediction\":1,\"actual\":1}".getBytes(java.nio.charset.Charset.forName("UTF-32BE")), false,
                        400, RejectionReason.MALFORMED_JSON, "malformed JSON: body must be encoded in UTF-8"),
                malformed("binary garbage", new byte[] {0, 1, 2, (byte) 0xFE, (byte) 0xFF, 0x7F},
                        "malformed JSON: body must be encoded in UTF-8"),
                new BadRequest("text/plain", "text/plain", utf8("{" + ok + "}"), false, 415,
                        RejectionReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, got 'text/plain'"),
                new BadRequest("form encoded", "application/x-www-form-urlencoded", utf8("prediction=1&actual=1"), false,
                        415, RejectionReason.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Type must be application/json, got 'application/x-www-form-urlencoded'"),
                new BadRequest("no content type", null, utf8("{" + ok + "}"), false, 415,
                        RejectionReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, got none"),
                new BadRequest("latin-1 charset", "application/json; charset=ISO-8859-1", utf8("{" + ok + "}"), false,
                        415, RejectionReason.UNSUPPORTED_MEDIA_TYPE, "charset must be UTF-8, got 'iso-8859-1'"),
                new BadRequest("oversized body with Content-Length", JSON, padded(1024 * 1024 + 1), false, 413,
                        RejectionReason.TOO_LARGE, "request body is larger than the limit of 1048576 bytes"),
                new BadRequest("oversized chunked body", JSON, padded(1024 * 1024 + 1), true, 413,
                        RejectionReason.TOO_LARGE, "request body is larger than the limit of 1048576 bytes"),
                new BadRequest("batch over 10000 items", JSON, utf8(batchOf(10_001)), false, 413,
                        RejectionReason.TOO_LARGE, "batch has more than 10000 items")));
        return all;
    }

    static String batchOf(int items) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < items; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"prediction\":1,\"actual\":1}");
        }
        return batch.append(']').toString();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
