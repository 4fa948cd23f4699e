package dev.palaver.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.testing.LanguageModelFaultContract;
import dev.palaver.providers.testing.LoopbackServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

class AnthropicFaultTest extends LanguageModelFaultContract {

    @Override
    protected Subject create(URI root, HttpTimeouts timeouts, Map<String, String> extraHeaders) {
        AnthropicConfig.Builder config = AnthropicConfig.builder(KEY, "claude-test").baseUrl(root).timeouts(timeouts);
        extraHeaders.forEach(config::header);
        AnthropicLanguageModel model = new AnthropicLanguageModel(config.build());
        return new Subject(model, model::openStreams, model);
    }

    @Override
    protected String path() {
        return "/v1/messages";
    }

    static String event(String type, ObjectNode data) {
        data.put("type", type);
        return "event: " + type + "\ndata: " + Json.write(data) + "\n\n";
    }

    static String messageStart() {
        ObjectNode data = Json.object();
        data.putObject("message").put("id", "msg_1").put("type", "message").put("role", "assistant")
                .put("model", "claude-test").putArray("content");
        return event("message_start", data);
    }

    static String textStart(int index) {
        ObjectNode data = Json.object().put("index", index);
        data.putObject("content_block").put("type", "text").put("text", "");
        return event("content_block_start", data);
    }

    static String text(int index, String delta) {
        ObjectNode data = Json.object().put("index", index);
        data.putObject("delta").put("type", "text_delta").put("text", delta);
        return event("content_block_delta", data);
    }

    static String blockStop(int index) {
        return event("content_block_stop", Json.object().put("index", index));
    }

    static String messageEnd(String stopReason) {
        ObjectNode delta = Json.object();
        delta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", 12);
        return event("message_delta", delta) + event("message_stop", Json.object());
    }

    static String toolUse(int index, String id, String name, List<String> fragments) {
        ObjectNode start = Json.object().put("index", index);
        start.putObject("content_block").put("type", "tool_use").put("id", id).put("name", name).putObject("input");
        StringBuilder out = new StringBuilder(event("content_block_start", start));
        for (String fragment : fragments) {
            ObjectNode delta = Json.object().put("index", index);
            delta.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
            out.append(event("content_block_delta", delta));
        }
        return out.append(blockStop(index)).toString();
    }

    @Override
    protected String begin() {
        return messageStart() + textStart(0);
    }

    @Override
    protected String textDelta(String delta) {
        return text(0, delta);
    }

    @Override
    protected String end() {
        return blockStop(0) + messageEnd("end_turn");
    }

    @Override
    protected String toolCall(String id, String name, List<String> fragments) {
        return toolUse(1, id, name, fragments);
    }

    @Override
    protected String streamError() {
        return "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n";
    }

    @Override
    protected String errorBody(String code) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + code + "\",\"message\":\"Something about it\"}}";
    }

    @Override
    protected void assertKeySent(LoopbackServer.Recorded request) {
        assertThat(request.header("x-api-key")).isEqualTo(KEY);
        assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(request.header("Authorization")).isNull();
    }
}
