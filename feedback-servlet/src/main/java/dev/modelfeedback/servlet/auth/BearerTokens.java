package dev.modelfeedback.servlet.auth;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The bearer tokens a server accepts, kept only as their SHA-256 digests, and the check of a
 * presented token against all of them in constant time.
 *
 * <pre>{@code
 * BearerTokens tokens = BearerTokens.load(Path.of("/etc/model-feedback/tokens"));
 * boolean ok = tokens.accepts(presented);
 * }</pre>
 *
 * <p>A token file holds one token per line; blank lines and lines starting with {@code #} are
 * ignored. A token is what RFC 6750 allows after {@code Bearer }: letters, digits and
 * {@code -._~+/}, then optionally {@code =} padding, at least {@value #MIN_LENGTH} characters
 * long (a short token can be guessed). Nothing else on a line: a space, a tab or a control character
 * in a token is an error, not something trimmed silently. Error messages name the file, the line and
 * what is wrong, never the token.
 *
 * <p>Why digests and constant time: {@link #accepts} hashes the presented token and compares the
 * fixed-length digest with every known one through {@link MessageDigest#isEqual}, without stopping
 * at a match, so the time it takes says nothing about how much of a token was right or which one
 * matched.
 *
 * <p>Immutable and thread-safe.
 */
public final class BearerTokens {

    /** The fewest characters of a token. */
    public static final int MIN_LENGTH = 16;
    /** The largest token file read: it holds tokens, not data. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    private final List<byte[]> digests;

    private BearerTokens(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /**
     * The tokens given, for tokens that come from elsewhere than a file (a secret store, say).
     *
     * @param tokens the tokens, at least one
     * @return them
     * @throws IllegalArgumentException if there is none, or one is not a valid token (the message
     *     names its position, not its value)
     */
    public static BearerTokens of(Collection<String> tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("at least one bearer token is needed, got none");
        }
        List<byte[]> digests = new ArrayList<>(tokens.size());
        int position = 0;
        for (String token : tokens) {
            position++;
            String problem = problem(Objects.requireNonNull(token, "token"));
            if (problem != null) {
                throw new IllegalArgumentException("bearer token " + position + " of " + tokens.size() + " " + problem);
            }
            digests.add(sha256(token));
        }
        return new BearerTokens(digests);
    }

    /**
     * Reads a token file: one token per line, blank lines and {@code #} comments ignored, UTF-8.
     *
     * @param file the file
     * @return its tokens
     * @throws TokenFileException if the file cannot be read, holds no token, or a line is not a
     *     valid token; the message is one line naming the file and the line, never a token
     */
    public static BearerTokens load(Path file) throws TokenFileException {
        Objects.requireNonNull(file, "file");
        List<String> lines;
        try {
            if (Files.isDirectory(file)) {
                throw new TokenFileException("cannot read token file '" + file + "': it is a directory");
            }
            if (Files.isRegularFile(file) && Files.size(file) > MAX_FILE_BYTES) {
                throw new TokenFileException("token file '" + file + "' is larger than " + MAX_FILE_BYTES
                        + " bytes; it should hold bearer tokens, one per line");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TokenFileException("cannot read token file '" + file + "': no such file", e);
        } catch (AccessDeniedException e) {
            throw new TokenFileException("cannot read token file '" + file + "': permission denied", e);
        } catch (CharacterCodingException e) {
            throw new TokenFileException("cannot read token file '" + file + "': it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new TokenFileException("cannot read token file '" + file + "': " + e.getMessage(), e);
        }
        List<byte[]> digests = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            String problem = problem(line);
            if (problem != null) {
                throw new TokenFileException("line " + (i + 1) + " of token file '" + file + "': the token " + problem);
            }
            digests.add(sha256(line));
        }
        if (digests.isEmpty()) {
            throw new TokenFileException("token file '" + file + "' holds no token, only blank lines and # comments;"
                    + " put one bearer token on each line");
        }
        return new BearerTokens(digests);
    }

    /**
     * Whether {@code presented} is one of the tokens. Takes the same time whichever token it is,
     * whether it is one at all, and however much of one it matches.
     *
     * @param presented the token a request carries
     * @return whether it is accepted
     */
    public boolean accepts(String presented) {
        byte[] digest = sha256(Objects.requireNonNull(presented, "presented"));
        boolean accepted = false;
        for (byte[] known : digests) {
            accepted |= MessageDigest.isEqual(digest, known);
        }
        return accepted;
    }

    /** How many tokens there are. */
    public int size() {
        return digests.size();
    }

    /** Whether {@code text} has the syntax of a bearer token (RFC 6750's {@code b64token}), of any length. */
    static boolean isToken(String text) {
        return !text.isEmpty() && firstInvalid(text) < 0;
    }

    /** What is wrong with a token, or {@code null} if nothing is. Never quotes the token. */
    private static @Nullable String problem(String token) {
        if (!token.isEmpty() && token.chars().allMatch(c -> c == '=')) {
            return "is only = padding; a token is letters, digits and -._~+/, then optionally = padding (RFC 6750)";
        }
        int invalid = firstInvalid(token);
        if (invalid >= 0) {
            int c = token.codePointAt(invalid);
            String what = Character.isWhitespace(c) || Character.isSpaceChar(c) ? "whitespace"
                    : Character.isISOControl(c) ? "a control character"
                    : c == '=' ? "'=' before its end (= is only padding)"
                    : "a character a bearer token cannot hold";
            return "holds " + what + " at column " + (token.codePointCount(0, invalid) + 1)
                    + "; a token is letters, digits and -._~+/, then optionally = padding (RFC 6750)";
        }
        if (token.length() < MIN_LENGTH) {
            return "is " + token.length() + " characters long; it must have at least " + MIN_LENGTH
                    + ", or it can be guessed";
        }
        return null;
    }

    /** The index of the first character that breaks {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}, or -1. */
    private static int firstInvalid(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return 0;
        }
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!allowed) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "BearerTokens[" + digests.size() + (digests.size() == 1 ? " token]" : " tokens]");
    }
}
