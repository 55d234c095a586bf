package io.imgstore.format;

/**
 * The writer's lease on its store ended (another process took the store over, or renewal was
 * overdue): the writer writes nothing more. A {@link StoreLockedException}, so the service answers 409.
 */
public class LeaseLostException extends StoreLockedException {

    public LeaseLostException(String message) {
        super(message);
    }
}
