package dev.palaver.media.llm;

import java.util.Objects;

/**
 * What a tool answered. {@code error} results are reported to the model as failures. {@code endCall}
 * asks the call to hang up once the agent has finished speaking its reply (a "hang up" tool).
 */
public record ToolResult(String content, boolean error, boolean endCall) {
    public ToolResult {
        Objects.requireNonNull(content, "content");
    }

    public static ToolResult ok(String content) {
        return new ToolResult(content, false, false);
    }

    public static ToolResult error(String message) {
        return new ToolResult(message, true, false);
    }

    public static ToolResult endCall(String content) {
        return new ToolResult(content, false, true);
    }
}
