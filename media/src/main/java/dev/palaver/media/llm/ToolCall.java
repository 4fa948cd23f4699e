package dev.palaver.media.llm;

import java.util.Objects;

/** A model's request to run a tool. {@code argumentsJson} is as the model wrote it: it may be invalid. */
public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentsJson, "argumentsJson");
    }
}
