package dev.palaver.providers.openai;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds Chat Completions request bodies. */
final class OpenAiChatRequests {

    /** Chat Completions has no error flag on tool results; the model learns of a failure from this prefix. */
    static final String TOOL_ERROR_PREFIX = "Error: ";

    private OpenAiChatRequests() {
    }

    static ObjectNode body(OpenAiCompatibleConfig config, LlmRequest request) {
        ObjectNode root = Json.object();
        root.put("model", config.model());
        root.put("stream", true);
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage message : request.messages()) {
            switch (message) {
                case SystemMessage system -> messages.addObject().put("role", "system").put("content", system.text());
                case UserMessage user -> messages.addObject().put("role", "user").put("content", user.text());
                case AssistantMessage assistant -> assistant(messages, assistant);
                case ToolMessage tool -> messages.addObject().put("role", "tool")
                        .put("tool_call_id", tool.toolCallId())
                        .put("content", tool.error() ? TOOL_ERROR_PREFIX + tool.content() : tool.content());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                function.put("description", tool.description());
                function.set("parameters", schema(config.name(), tool));
            }
        }
        if (config.temperature() != null) {
            root.put("temperature", config.temperature());
        }
        if (config.maxTokens() != null) {
            root.put(config.maxTokensParameter(), config.maxTokens());
        }
        return root;
    }

    private static void assistant(ArrayNode messages, AssistantMessage assistant) {
        if (assistant.text().isEmpty() && assistant.toolCalls().isEmpty()) {
            // Nothing was said or done (an interruption before the first word): servers reject empty turns.
            return;
        }
        ObjectNode out = messages.addObject().put("role", "assistant");
        if (assistant.text().isEmpty()) {
            out.putNull("content");
        } else {
            out.put("content", assistant.text());
        }
        if (!assistant.toolCalls().isEmpty()) {
            ArrayNode calls = out.putArray("tool_calls");
            for (ToolCall call : assistant.toolCalls()) {
                calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                        .put("name", call.name()).put("arguments", call.argumentsJson());
            }
        }
    }

    static ObjectNode schema(String provider, ToolDefinition tool) {
        ObjectNode schema = Json.tryParseObject(tool.parametersSchema());
        if (schema == null) {
            throw new ProviderException(ProviderFailure.Kind.BAD_REQUEST,
                    provider + ": the parameters schema of tool " + tool.name() + " is not a JSON object");
        }
        return schema;
    }
}
