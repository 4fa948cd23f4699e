package dev.palaver.providers.openai;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.providers.http.Failures;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderException;
import dev.palaver.providers.http.ProviderFailure;
import dev.palaver.providers.http.SseEvent;
import dev.palaver.providers.http.StreamingCompletion;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Chat Completions stream: {@code data:} events holding {@code chat.completion.chunk} objects,
 * ended by {@code data: [DONE]}. Text deltas go out as they arrive; tool calls are assembled and go out
 * together when the reply is complete. Reasoning fields some servers add ({@code reasoning_content}) are
 * not spoken and are ignored.
 */
final class OpenAiChatStream extends StreamingCompletion {

    private final ToolCallAssembler tools;
    private boolean finished;

    OpenAiChatStream(String provider, LanguageModel.Listener listener) {
        super(provider, listener);
        tools = new ToolCallAssembler(provider);
    }

    @Override
    protected void onEvent(SseEvent event) {
        if (event.data().strip().equals("[DONE]")) {
            complete();
            return;
        }
        JsonNode chunk = parseObject(event);
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            throw streamError(error);
        }
        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray()) {
            return;
        }
        for (JsonNode choice : choices) {
            JsonNode index = choice.get("index");
            if (index != null && index.isIntegralNumber() && index.asInt() != 0) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            text(Json.string(delta.get("content")));
            JsonNode calls = delta.get("tool_calls");
            if (calls != null && calls.isArray()) {
                for (JsonNode fragment : calls) {
                    tools.add(fragment);
                }
            }
            JsonNode reason = choice.get("finish_reason");
            if (reason != null && !reason.isNull()) {
                finished = true;
            }
        }
    }

    /**
     * The body ended without {@code [DONE]}. If the last choice already carried its finish reason the reply
     * is whole (a server that omits the marker); otherwise the stream was cut.
     */
    @Override
    protected void onStreamEnd() {
        if (!finished) {
            throw truncated();
        }
        complete();
    }

    private void complete() {
        for (ToolCall call : tools.calls()) {
            toolCall(call);
        }
        done();
    }

    private ProviderException streamError(JsonNode error) {
        String code = Failures.codeOf(error);
        String lower = code == null ? "" : code.toLowerCase(Locale.ROOT);
        ProviderFailure.Kind kind;
        if (lower.contains("rate_limit") || lower.contains("quota")) {
            kind = ProviderFailure.Kind.RATE_LIMITED;
        } else if (lower.contains("permission")) {
            kind = ProviderFailure.Kind.PERMISSION;
        } else if (lower.contains("auth") || lower.contains("api_key")) {
            kind = ProviderFailure.Kind.AUTHENTICATION;
        } else if (lower.contains("invalid_request")) {
            kind = ProviderFailure.Kind.BAD_REQUEST;
        } else {
            kind = ProviderFailure.Kind.SERVER_ERROR;
        }
        return new ProviderException(kind, provider + ": error in the stream" + (code == null ? "" : " (" + code + ")"));
    }
}
