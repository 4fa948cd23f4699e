package dev.palaver.media.llm;

import java.util.Objects;

/** The result of one tool call, answered to the model. {@code error} marks a failed call. */
public record ToolMessage(String toolCallId, String name, String content, boolean error) implements ChatMessage {
    public ToolMessage {
        Objects.requireNonNull(toolCallId, "toolCallId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
    }
}
