package dev.palaver.media.llm;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The tools one call's agent may use. The call validates names and JSON arguments before calling
 * {@link #execute}, enforces each tool's timeout, and cancels the future when the reply is abandoned.
 */
public interface ToolExecutor {

    List<ToolDefinition> definitions();

    /**
     * Runs a tool. Must return at once (do the work elsewhere); the future may complete on any thread.
     * A failed future is reported to the model as a tool error, never thrown into the call.
     */
    CompletableFuture<ToolResult> execute(ToolCall call);

    /** No tools at all. */
    static ToolExecutor none() {
        return new ToolExecutor() {
            @Override
            public List<ToolDefinition> definitions() {
                return List.of();
            }

            @Override
            public CompletableFuture<ToolResult> execute(ToolCall call) {
                return CompletableFuture.completedFuture(ToolResult.error("no tool named " + call.name()));
            }
        };
    }
}
