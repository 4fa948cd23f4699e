package dev.palaver.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.testing.LanguageModelFaultContract;
import dev.palaver.providers.testing.LoopbackServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class OpenAiCompatibleFaultTest extends LanguageModelFaultContract {

    @Override
    protected Subject create(URI root, HttpTimeouts timeouts, Map<String, String> extraHeaders) {
        OpenAiCompatibleConfig.Builder config = OpenAiCompatibleConfig.builder(URI.create(root + "/v1"), "gpt-test")
                .apiKey(KEY).timeouts(timeouts);
        extraHeaders.forEach(config::header);
        OpenAiCompatibleLanguageModel model = new OpenAiCompatibleLanguageModel(config.build());
        return new Subject(model, model::openStreams, model);
    }

    @Override
    protected String path() {
        return "/v1/chat/completions";
    }

    static String chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = Json.object().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("created", 1).put("model", "gpt-test");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return "data: " + Json.write(chunk) + "\n\n";
    }

    @Override
    protected String begin() {
        return chunk(Json.object().put("role", "assistant").put("content", ""), null);
    }

    @Override
    protected String textDelta(String delta) {
        return chunk(Json.object().put("content", delta), null);
    }

    @Override
    protected String end() {
        return chunk(Json.object(), "stop") + "data: [DONE]\n\n";
    }

    static String toolFragment(int index, String id, String name, String arguments) {
        ObjectNode delta = Json.object();
        ArrayNode calls = delta.putArray("tool_calls");
        ObjectNode call = calls.addObject().put("index", index);
        if (id != null) {
            call.put("id", id).put("type", "function");
        }
        ObjectNode function = call.putObject("function");
        if (name != null) {
            function.put("name", name);
        }
        function.put("arguments", arguments);
        return chunk(delta, null);
    }

    @Override
    protected String toolCall(String id, String name, List<String> fragments) {
        StringBuilder out = new StringBuilder(toolFragment(0, id, name, ""));
        fragments.forEach(f -> out.append(toolFragment(0, null, null, f)));
        return out.toString();
    }

    @Override
    protected String streamError() {
        return "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n";
    }

    @Override
    protected String errorBody(String code) {
        return "{\"error\":{\"message\":\"Something about it\",\"type\":\"invalid_request_error\",\"code\":\"" + code + "\"}}";
    }

    @Override
    protected void assertKeySent(LoopbackServer.Recorded request) {
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
    }
}
