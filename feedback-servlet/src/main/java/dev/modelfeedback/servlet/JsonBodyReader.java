package dev.modelfeedback.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import dev.modelfeedback.core.model.Texts;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a JSON request body strictly, the same way for every endpoint: {@code Content-Type} must be
 * {@code application/json} (a UTF-8 charset parameter allowed), the body at most
 * {@code maxBodyBytes} (checked while reading, also when chunked), encoded in UTF-8, within tight
 * parser limits (nesting 8, numbers 32 digits, strings 1,024 characters, field names 256). Every
 * failure becomes a {@link RejectedRequestException} whose message names the problem and its
 * place in our own words ({@link JsonErrors}), with untrusted text quoted. A body sent with
 * {@code Content-Encoding: gzip} is decoded ({@link ContentCoding}); the limit applies to what it
 * decodes to.
 *
 * <pre>{@code
 * JsonBodyReader reader = new JsonBodyReader(1024 * 1024);
 * double feature = reader.read(request.getContentType(), request.getContentLengthLong(),
 *         request.getInputStream(), parser -> readFeature(parser));
 * }</pre>
 *
 * <p>Thread-safe: the factory is immutable once built, and each call makes its own parser.
 */
public final class JsonBodyReader {

    /** Root, batch array, item object: anything deeper is refused before it is read. */
    static final int MAX_NESTING_DEPTH = 8;
    /** Generous for 0 and 1 or any double, small enough that a huge number costs nothing to refuse. */
    static final int MAX_NUMBER_LENGTH = 32;
    /** Longer than any valid model name or id; longer strings are refused while they are read. */
    static final int MAX_STRING_LENGTH = 1024;
    static final int MAX_NAME_LENGTH = 256;

    private static final String JSON = "application/json";

    /**
     * Reads the body's content from a parser positioned before its first token.
     *
     * @param <T> what the body is read into
     */
    public interface BodyParser<T> {

        /**
         * @param parser the body's parser; its first {@code nextToken()} is the root
         * @return the body's content
         * @throws IOException if the JSON is malformed or the body cannot be read
         * @throws RejectedRequestException if the JSON breaks the endpoint's format
         */
        T parse(JsonParser parser) throws IOException, RejectedRequestException;

        /**
         * Where the parser is, as a prefix for an error found by the JSON layer: for example
         * {@code "item 537: "} inside a batch. Empty by default.
         */
        default String where() {
            return "";
        }
    }

    private final JsonFactory factory;
    private final long maxBodyBytes;

    /**
     * @param maxBodyBytes the largest body accepted, in bytes
     * @throws IllegalArgumentException if the limit is not positive
     */
    public JsonBodyReader(long maxBodyBytes) {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .build())
                // Scores are decimals: parsed by FastDoubleParser, correctly rounded as Double.parseDouble is.
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        // The request stream belongs to the container; closing it is not ours to do.
        factory.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    /** The largest body accepted, in bytes. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Checks the media type and size, then parses the body, sent as is, with {@code bodyParser}.
     *
     * @param <T> what the body is read into
     * @param contentType the request's {@code Content-Type}, or {@code null} if absent
     * @param contentLength the declared length, or -1 if unknown (chunked)
     * @param body the request body; read at most one byte past the limit
     * @param bodyParser reads the content
     * @return the content
     * @throws RejectedRequestException if the request is refused: 415 media type, 413 size, 400
     *     malformed JSON or unreadable body, or whatever {@code bodyParser} refuses
     */
    public <T> T read(@Nullable String contentType, long contentLength, InputStream body, BodyParser<T> bodyParser)
            throws RejectedRequestException {
        return read(contentType, contentLength, List.of(), body, bodyParser);
    }

    /**
     * Checks the media type, codings and size, then decodes the body and parses it with
     * {@code bodyParser}.
     *
     * @param <T> what the body is read into
     * @param contentType the request's {@code Content-Type}, or {@code null} if absent
     * @param contentLength the declared length, or -1 if unknown (chunked)
     * @param codings the codings the body was sent with, as {@link ContentCoding#of} gives them
     * @param body the request body as it arrived; read at most one byte past the limit
     * @param bodyParser reads the content
     * @return the content
     * @throws RejectedRequestException if the request is refused: 415 media type or coding, 413
     *     size (as sent or decoded), 400 malformed JSON or unreadable body, or whatever
     *     {@code bodyParser} refuses
     */
    public <T> T read(@Nullable String contentType, long contentLength, List<String> codings, InputStream body,
            BodyParser<T> bodyParser) throws RejectedRequestException {
        requireJson(contentType);
        ContentCoding.requireSupported(codings);
        if (contentLength > maxBodyBytes) {
            throw tooLarge();
        }
        // Bounded as sent and as decoded: a small gzip body may decode to gigabytes.
        InputStream decoded = codings.isEmpty() ? body
                : ContentCoding.decode(codings, new BoundedInputStream(body, maxBodyBytes));
        try (JsonParser parser = factory.createParser(new BoundedInputStream(decoded, maxBodyBytes))) {
            // Jackson picks its parser by sniffing the encoding; JSON on the wire is UTF-8 (RFC 8259).
            if (!(parser instanceof UTF8StreamJsonParser)) {
                throw new RejectedRequestException(RejectionReason.MALFORMED_JSON,
                        "malformed JSON: body must be encoded in UTF-8");
            }
            return bodyParser.parse(parser);
        } catch (BoundedInputStream.LimitExceededException e) {
            throw tooLarge();
        } catch (StreamConstraintsException e) {
            throw new RejectedRequestException(RejectionReason.MALFORMED_JSON,
                    bodyParser.where() + "JSON exceeds a limit: " + JsonErrors.limit(e));
        } catch (JsonProcessingException e) {
            String what = JsonErrors.syntax(e);
            throw new RejectedRequestException(RejectionReason.MALFORMED_JSON, bodyParser.where() + "malformed JSON"
                    + at(e.getLocation()) + (what.isEmpty() ? "" : ": " + what));
        } catch (CharConversionException e) {
            throw new RejectedRequestException(RejectionReason.MALFORMED_JSON,
                    bodyParser.where() + "malformed JSON: body is not valid UTF-8");
        } catch (ZipException e) {
            throw new RejectedRequestException(RejectionReason.UNREADABLE_BODY,
                    "request body is not valid gzip; nothing was counted");
        } catch (IOException e) {
            throw new RejectedRequestException(RejectionReason.UNREADABLE_BODY,
                    "request body could not be read to its end; nothing was counted");
        }
    }

    /**
     * The location of the current token, for messages such as "unexpected content after the JSON
     * value at line 1, column 29".
     *
     * @param location the parser's location, or null
     * @return {@code " at line L, column C"}, or empty if unknown
     */
    public static String at(@Nullable JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private RejectedRequestException tooLarge() {
        return new RejectedRequestException(RejectionReason.TOO_LARGE,
                "request body is larger than the limit of " + maxBodyBytes + " bytes");
    }

    /** Accepts {@code application/json} with no charset or a UTF-8 one, as JSON requires. */
    private static void requireJson(@Nullable String contentType) throws RejectedRequestException {
        if (contentType == null || contentType.isBlank()) {
            throw new RejectedRequestException(RejectionReason.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, got none");
        }
        int semicolon = contentType.indexOf(';');
        int typeEnd = semicolon < 0 ? contentType.length() : semicolon;
        if (!isJson(contentType, typeEnd)) {
            throw new RejectedRequestException(RejectionReason.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, got " + Texts.quote(contentType));
        }
        if (semicolon >= 0) {
            requireUtf8Charset(contentType.substring(semicolon + 1));
        }
    }

    /** Whether {@code contentType} up to {@code end} is {@code application/json}, ignoring case and spaces. */
    private static boolean isJson(String contentType, int end) {
        int start = 0;
        while (start < end && contentType.charAt(start) == ' ') {
            start++;
        }
        while (end > start && contentType.charAt(end - 1) == ' ') {
            end--;
        }
        return end - start == JSON.length() && contentType.regionMatches(true, start, JSON, 0, JSON.length());
    }

    private static void requireUtf8Charset(String parameters) throws RejectedRequestException {
        for (String parameter : parameters.split(";")) {
            int eq = parameter.indexOf('=');
            String name = (eq < 0 ? parameter : parameter.substring(0, eq)).trim();
            if (name.equalsIgnoreCase("charset")) {
                // Containers differ in whether they keep the client's case; answer in one.
                String charset = eq < 0 ? "" : parameter.substring(eq + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw new RejectedRequestException(RejectionReason.UNSUPPORTED_MEDIA_TYPE,
                            "charset must be UTF-8, got " + Texts.quote(charset));
                }
            }
        }
    }
}
