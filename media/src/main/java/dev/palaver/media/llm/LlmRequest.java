package dev.palaver.media.llm;

import java.util.List;

/** One streaming completion: the conversation so far and the tools the model may call (maybe none). */
public record LlmRequest(List<ChatMessage> messages, List<ToolDefinition> tools) {
    public LlmRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }
}
