package dev.modelfeedback.core.join;

/**
 * A batch was refused because one of its operations conflicts with what is stored for its id (a
 * different prediction or actual value); nothing of the batch was applied or counted.
 */
public final class JoinConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int operation;

    /**
     * @param operation the index of the conflicting operation among the batch's operations by id
     * @param message what conflicts, naming the id
     */
    public JoinConflictException(int operation, String message) {
        super(message, null, false, false);
        this.operation = operation;
    }

    /** The index of the conflicting operation among the batch's operations by id, in the order added. */
    public int operation() {
        return operation;
    }
}
