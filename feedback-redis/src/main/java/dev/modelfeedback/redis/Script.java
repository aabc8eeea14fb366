package dev.modelfeedback.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script run by its SHA-1 digest ({@code EVALSHA}), loaded again when Redis has forgotten it
 * (after a restart). The flags line declares that the script runs only on a standalone Redis (its
 * keys are computed, not declared) and whether it may run while Redis is over its memory limit.
 *
 * <p>Immutable and thread-safe.
 */
final class Script {

    private final String name;
    private final byte[] text;
    private final String sha;

    private Script(String name, String text) {
        this.name = name;
        this.text = text.getBytes(StandardCharsets.UTF_8);
        this.sha = HexFormat.of().formatHex(sha1(this.text));
    }

    /**
     * @param resource the script's file beside this class
     * @param allowOom whether it may run while Redis is over {@code maxmemory}: only for scripts
     *     that never grow what is stored
     */
    static Script load(String resource, boolean allowOom) {
        String flags = allowOom ? "#!lua flags=no-cluster,allow-oom\n" : "#!lua flags=no-cluster\n";
        try (InputStream in = Objects.requireNonNull(Script.class.getResourceAsStream(resource), resource)) {
            return new Script(resource + (allowOom ? " (allow-oom)" : ""),
                    flags + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the script " + resource, e);
        }
    }

    /** The script's text, for {@code SCRIPT LOAD}. */
    byte[] text() {
        return text.clone();
    }

    /** The SHA-1 digest of the text in hexadecimal, for {@code EVALSHA}. */
    String sha() {
        return sha;
    }

    private static byte[] sha1(byte[] text) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(text);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
