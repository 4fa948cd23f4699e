package dev.palaver.media.llm;

import java.util.Objects;

/** Instructions to the model: the agent's persona, or the summary of earlier conversation. */
public record SystemMessage(String text) implements ChatMessage {
    public SystemMessage {
        Objects.requireNonNull(text, "text");
    }
}
