package dev.palaver.media.call;

/**
 * Receives a call's events as they happen. Called on the call's loop: it must return quickly (hand the
 * event to a writer queue) and should not throw; a throw is logged and otherwise ignored.
 */
@FunctionalInterface
public interface CallEventSink {

    void accept(CallEvent event);

    CallEventSink NONE = event -> { };
}
