package dev.palaver.providers.anthropic;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.providers.http.Failures;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.http.SseEvent;
import dev.palaver.providers.http.StreamingCompletion;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Messages stream: {@code message_start}, per content block {@code content_block_start},
 * {@code content_block_delta}s ({@code text_delta}, {@code input_json_delta}) and
 * {@code content_block_stop}, then {@code message_delta} and {@code message_stop}; {@code ping}s anywhere;
 * an {@code error} event may end it. Unknown events and delta types (thinking, citations) are ignored, as
 * Anthropic's versioning policy asks. A tool call goes out at its block's stop, its input JSON as
 * streamed (or {@code {}} when the block streamed none).
 */
final class AnthropicStream extends StreamingCompletion {

    static final int MAX_INPUT_CHARS = 1 << 20;

    private static final class ToolBlock {
        final String id;
        final String name;
        final String initial;
        final StringBuilder input = new StringBuilder();

        ToolBlock(String id, String name, String initial) {
            this.id = id;
            this.name = name;
            this.initial = initial;
        }

        ToolCall call() {
            return new ToolCall(id, name, !input.isEmpty() ? input.toString() : initial);
        }
    }

    private final Map<Integer, ToolBlock> open = new TreeMap<>();

    AnthropicStream(String provider, LanguageModel.Listener listener) {
        super(provider, listener);
    }

    @Override
    protected void onEvent(SseEvent event) {
        JsonNode data = parseObject(event);
        String type = Json.string(data.get("type"));
        if (type == null) {
            type = event.event();
        }
        switch (type) {
            case "content_block_start" -> blockStart(data);
            case "content_block_delta" -> blockDelta(data);
            case "content_block_stop" -> {
                ToolBlock block = open.remove(index(data));
                if (block != null) {
                    toolCall(block.call());
                }
            }
            case "message_stop" -> {
                open.values().forEach(block -> toolCall(block.call()));
                open.clear();
                done();
            }
            case "error" -> throw streamError(data.get("error"));
            default -> { }
        }
    }

    @Override
    protected void onStreamEnd() {
        throw truncated();
    }

    private void blockStart(JsonNode data) {
        JsonNode block = data.path("content_block");
        String blockType = Json.string(block.get("type"));
        if ("text".equals(blockType)) {
            text(Json.string(block.get("text")));
        } else if ("tool_use".equals(blockType)) {
            String id = Json.string(block.get("id"));
            String name = Json.string(block.get("name"));
            if (id == null || name == null) {
                throw malformed("a tool_use block has no id or name");
            }
            JsonNode input = block.get("input");
            String initial = input != null && input.isObject() && !input.isEmpty() ? Json.write(input) : "{}";
            open.put(index(data), new ToolBlock(id, name, initial));
        }
    }

    private void blockDelta(JsonNode data) {
        JsonNode delta = data.path("delta");
        String deltaType = Json.string(delta.get("type"));
        if ("text_delta".equals(deltaType)) {
            text(Json.string(delta.get("text")));
        } else if ("input_json_delta".equals(deltaType)) {
            ToolBlock block = open.get(index(data));
            String partial = Json.string(delta.get("partial_json"));
            if (block == null || partial == null) {
                throw malformed("an input_json_delta belongs to no tool_use block");
            }
            block.input.append(partial);
            if (block.input.length() > MAX_INPUT_CHARS) {
                throw malformed("tool input longer than " + MAX_INPUT_CHARS + " characters");
            }
        }
    }

    private int index(JsonNode data) {
        JsonNode index = data.get("index");
        if (index == null || !index.isIntegralNumber()) {
            throw malformed("a content block event has no index");
        }
        return index.asInt();
    }

    private ProviderException streamError(JsonNode error) {
        String code = Failures.codeOf(error);
        ProviderFailure.Kind kind = switch (code == null ? "" : code) {
            case "rate_limit_error" -> ProviderFailure.Kind.RATE_LIMITED;
            case "authentication_error" -> ProviderFailure.Kind.AUTHENTICATION;
            case "permission_error" -> ProviderFailure.Kind.PERMISSION;
            case "invalid_request_error", "not_found_error", "request_too_large" -> ProviderFailure.Kind.BAD_REQUEST;
            case "timeout_error" -> ProviderFailure.Kind.FIRST_BYTE_TIMEOUT;
            default -> ProviderFailure.Kind.SERVER_ERROR;
        };
        return new ProviderException(kind, provider + ": error in the stream" + (code == null ? "" : " (" + code + ")"));
    }
}
