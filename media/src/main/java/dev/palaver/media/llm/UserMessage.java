package dev.palaver.media.llm;

import java.util.Objects;

/** What the caller said (or keyed in) in one turn. */
public record UserMessage(String text) implements ChatMessage {
    public UserMessage {
        Objects.requireNonNull(text, "text");
    }
}
