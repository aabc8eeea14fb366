package dev.modelfeedback.servlet.auth;

/**
 * A token file that cannot be used: unreadable, empty, or with a line that is not a bearer token.
 * The message is one line for the operator, naming the file and the line; it never holds a token.
 */
public final class TokenFileException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, one line
     */
    public TokenFileException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, one line
     * @param cause the failure to read the file
     */
    public TokenFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
