package dev.modelfeedback.core.join;

/**
 * The pending store could not be reached (a shared store's server is down or too slow); nothing
 * was applied. Recording resumes by itself when the store is back.
 */
public final class PendingStoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for the server's log
     */
    public PendingStoreUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message what failed, for the server's log
     * @param cause the underlying failure
     */
    public PendingStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
