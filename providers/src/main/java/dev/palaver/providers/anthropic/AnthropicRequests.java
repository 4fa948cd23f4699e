package dev.palaver.providers.anthropic;

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
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds Messages API request bodies. System messages go to the top-level {@code system}; tool calls
 * become {@code tool_use} blocks and results {@code tool_result} blocks in a user turn. The API wants
 * the first message from the user, alternating roles and no blank text blocks, so consecutive turns of
 * one role are merged, blank text is dropped, and a conversation the agent opened (its greeting) gets a
 * short user turn in front.
 */
final class AnthropicRequests {

    static final String OPENING_TURN = "(The call has connected.)";

    private AnthropicRequests() {
    }

    private record Turn(String role, ArrayNode content) {
    }

    static ObjectNode body(AnthropicConfig config, LlmRequest request) {
        ObjectNode root = Json.object();
        root.put("model", config.model());
        root.put("max_tokens", config.maxTokens());
        root.put("stream", true);
        List<String> system = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            switch (message) {
                case SystemMessage s -> {
                    if (!s.text().isBlank()) {
                        system.add(s.text());
                    }
                }
                case UserMessage user -> {
                    if (!user.text().isBlank()) {
                        block(turns, "user").put("type", "text").put("text", user.text());
                    }
                }
                case AssistantMessage assistant -> assistant(config.name(), turns, assistant);
                case ToolMessage tool -> block(turns, "user").put("type", "tool_result")
                        .put("tool_use_id", tool.toolCallId())
                        .put("content", tool.content())
                        .put("is_error", tool.error());
            }
        }
        if (turns.isEmpty() || !turns.getFirst().role().equals("user")) {
            Turn opening = new Turn("user", Json.MAPPER.createArrayNode());
            opening.content().addObject().put("type", "text").put("text", OPENING_TURN);
            turns.addFirst(opening);
        }
        if (!system.isEmpty()) {
            root.put("system", String.join("\n\n", system));
        }
        ArrayNode messages = root.putArray("messages");
        for (Turn turn : turns) {
            ObjectNode m = messages.addObject().put("role", turn.role());
            m.set("content", turn.content());
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode schema = Json.tryParseObject(tool.parametersSchema());
                if (schema == null) {
                    throw new ProviderException(ProviderFailure.Kind.BAD_REQUEST,
                            config.name() + ": the parameters schema of tool " + tool.name() + " is not a JSON object");
                }
                ObjectNode t = tools.addObject().put("name", tool.name()).put("description", tool.description());
                t.set("input_schema", schema);
            }
        }
        if (config.temperature() != null) {
            root.put("temperature", config.temperature());
        }
        return root;
    }

    private static void assistant(String provider, List<Turn> turns, AssistantMessage assistant) {
        if (!assistant.text().isBlank()) {
            block(turns, "assistant").put("type", "text").put("text", assistant.text());
        }
        for (ToolCall call : assistant.toolCalls()) {
            ObjectNode block = block(turns, "assistant").put("type", "tool_use").put("id", call.id())
                    .put("name", call.name());
            // The API takes the input as an object; arguments the model garbled are replayed as {} (the
            // tool result that follows tells the model they were invalid).
            ObjectNode input = Json.tryParseObject(call.argumentsJson());
            block.set("input", input != null ? input : Json.object());
        }
    }

    private static ObjectNode block(List<Turn> turns, String role) {
        Turn last = turns.isEmpty() ? null : turns.getLast();
        if (last == null || !last.role().equals(role)) {
            last = new Turn(role, Json.MAPPER.createArrayNode());
            turns.add(last);
        }
        return last.content().addObject();
    }
}
