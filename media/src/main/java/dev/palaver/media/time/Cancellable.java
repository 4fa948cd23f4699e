package dev.palaver.media.time;

/** Something that can be called off. Cancelling twice, or after it has happened, does nothing. */
@FunctionalInterface
public interface Cancellable {
    void cancel();

    Cancellable NONE = () -> { };
}
