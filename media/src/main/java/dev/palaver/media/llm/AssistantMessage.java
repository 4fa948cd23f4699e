package dev.palaver.media.llm;

import java.util.List;
import java.util.Objects;

/**
 * What the agent said, and the tools it called. In the call history {@code text} holds only words the
 * caller heard; {@code interrupted} says the caller cut the agent off after them.
 */
public record AssistantMessage(String text, List<ToolCall> toolCalls, boolean interrupted) implements ChatMessage {
    public AssistantMessage {
        Objects.requireNonNull(text, "text");
        toolCalls = List.copyOf(toolCalls);
    }

    public static AssistantMessage of(String text) {
        return new AssistantMessage(text, List.of(), false);
    }
}
