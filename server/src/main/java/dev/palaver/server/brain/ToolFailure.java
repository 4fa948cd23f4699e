package dev.palaver.server.brain;

import java.util.List;

/**
 * A tool could not do what was asked, for a reason the caller should hear: {@code message} says it, and
 * {@code retry} names the arguments to ask the caller for again (a flow clears those slots).
 */
final class ToolFailure extends RuntimeException {

    private final String code;
    private final List<String> retry;
    private final transient Object details;

    ToolFailure(String code, String message, List<String> retry, Object details) {
        super(message, null, false, false);
        this.code = code;
        this.retry = List.copyOf(retry);
        this.details = details;
    }

    String code() {
        return code;
    }

    List<String> retry() {
        return retry;
    }

    /** Extra data for the model (e.g. alternatives), or null. */
    Object details() {
        return details;
    }
}
