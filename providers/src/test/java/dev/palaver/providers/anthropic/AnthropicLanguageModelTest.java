package dev.palaver.providers.anthropic;

import static dev.palaver.providers.anthropic.AnthropicFaultTest.blockStop;
import static dev.palaver.providers.anthropic.AnthropicFaultTest.event;
import static dev.palaver.providers.anthropic.AnthropicFaultTest.messageEnd;
import static dev.palaver.providers.anthropic.AnthropicFaultTest.messageStart;
import static dev.palaver.providers.anthropic.AnthropicFaultTest.text;
import static dev.palaver.providers.anthropic.AnthropicFaultTest.textStart;
import static dev.palaver.providers.anthropic.AnthropicFaultTest.toolUse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.http.Json;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.testing.ClassifyingListener;
import dev.palaver.providers.testing.LoopbackServer;
import dev.palaver.providers.testing.RecordingListener;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class AnthropicLanguageModelTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"phone\":{\"type\":\"string\"}}}";
    private static final LlmRequest HELLO = new LlmRequest(List.of(new UserMessage("Hello")), List.of());

    private LoopbackServer server;
    private AnthropicLanguageModel model;

    @BeforeEach
    void start() {
        server = LoopbackServer.start();
    }

    @AfterEach
    void stop() {
        if (model != null) {
            model.close();
        }
        server.close();
    }

    private AnthropicConfig.Builder config() {
        return AnthropicConfig.builder("sk-ant-test-0123456789", "claude-test").baseUrl(server.url(""))
                .timeouts(HttpTimeouts.of(Duration.ofMillis(300)));
    }

    private ClassifyingListener run(AnthropicConfig.Builder config, LlmRequest request, LoopbackServer.Response response) {
        server.enqueue(response);
        model = new AnthropicLanguageModel(config.build());
        ClassifyingListener listener = new ClassifyingListener();
        model.stream(request, listener);
        listener.awaitTerminal(WAIT);
        return listener;
    }

    private ClassifyingListener run(LoopbackServer.Response response) {
        return run(config(), HELLO, response);
    }

    private static String simpleReply() {
        return messageStart() + textStart(0) + text(0, "Sure.") + blockStop(0) + messageEnd("end_turn");
    }

    @Test
    void requestBodyFollowsTheMessagesApi() {
        LlmRequest request = new LlmRequest(List.of(
                new SystemMessage("You are the front desk."),
                new SystemMessage("Summary of the conversation so far: none."),
                new AssistantMessage("Hi, how can I help?", List.of(), false),
                new UserMessage("Is my appointment on?"),
                new AssistantMessage("Let me check.", List.of(
                        new ToolCall("toolu_a", "lookup_customer", "{\"phone\":\"555\"}"),
                        new ToolCall("toolu_b", "find_slots", "not json")), false),
                new ToolMessage("toolu_a", "lookup_customer", "{\"name\":\"Ann\"}", false),
                new ToolMessage("toolu_b", "find_slots", "calendar offline", true),
                new AssistantMessage(" ", List.of(), true),
                new UserMessage("Thanks")),
                List.of(new ToolDefinition("lookup_customer", "Finds a customer by phone", SCHEMA)));
        run(config().temperature(0.2).maxTokens(300), request, LoopbackServer.Response.sse().write(simpleReply()));

        JsonNode body = Json.tryParse(server.takeRequest().body());
        JsonNode expected = Json.tryParse("""
                {"model":"claude-test","max_tokens":300,"stream":true,
                 "system":"You are the front desk.\\n\\nSummary of the conversation so far: none.",
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":"(The call has connected.)"}]},
                  {"role":"assistant","content":[{"type":"text","text":"Hi, how can I help?"}]},
                  {"role":"user","content":[{"type":"text","text":"Is my appointment on?"}]},
                  {"role":"assistant","content":[
                    {"type":"text","text":"Let me check."},
                    {"type":"tool_use","id":"toolu_a","name":"lookup_customer","input":{"phone":"555"}},
                    {"type":"tool_use","id":"toolu_b","name":"find_slots","input":{}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_a","content":"{\\"name\\":\\"Ann\\"}","is_error":false},
                    {"type":"tool_result","tool_use_id":"toolu_b","content":"calendar offline","is_error":true},
                    {"type":"text","text":"Thanks"}]}],
                 "tools":[{"name":"lookup_customer","description":"Finds a customer by phone","input_schema":%s}],
                 "temperature":0.2}
                """.formatted(SCHEMA));
        assertThat(body).isEqualTo(expected);
    }

    @Test
    void conversationOpenedByTheCallerGetsNoExtraTurn() {
        run(LoopbackServer.Response.sse().write(simpleReply()));
        JsonNode body = Json.tryParse(server.takeRequest().body());
        assertThat(body.path("messages").size()).isEqualTo(1);
        assertThat(body.path("messages").path(0).path("content").path(0).path("text").asString()).isEqualTo("Hello");
        assertThat(body.has("system")).isFalse();
        assertThat(body.has("tools")).isFalse();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1024);
    }

    @Test
    void textAndToolUseBlocksBecomeTextAndToolCallsInOrder() {
        ClassifyingListener listener = run(LoopbackServer.Response.sse()
                .write(messageStart())
                .write(textStart(0)).write(text(0, "Checking")).write(text(0, " now.")).write(blockStop(0))
                .write(toolUse(1, "toolu_a", "lookup_customer", List.of("{\"pho", "ne\": \"555\"}")))
                .write(toolUse(2, "toolu_b", "find_slots", List.of("{\"day\":", " \"monday\"}")))
                .write(messageEnd("tool_use")));
        assertThat(listener.events()).containsExactly(
                new RecordingListener.Text("Checking"),
                new RecordingListener.Text(" now."),
                new RecordingListener.Tool(new ToolCall("toolu_a", "lookup_customer", "{\"phone\": \"555\"}")),
                new RecordingListener.Tool(new ToolCall("toolu_b", "find_slots", "{\"day\": \"monday\"}")),
                new RecordingListener.Done());
    }

    @Test
    void toolCallGoesOutAtItsBlockStopBeforeTheMessageEnds() {
        server.enqueue(LoopbackServer.Response.sse().write(messageStart())
                .write(toolUse(0, "toolu_a", "hang_up", List.of()))
                .stall());
        model = new AnthropicLanguageModel(config().timeouts(HttpTimeouts.of(Duration.ofSeconds(10))).build());
        ClassifyingListener listener = new ClassifyingListener();
        var stream = model.stream(HELLO, listener);
        assertThat(dev.palaver.providers.testing.Waits.until(() -> !listener.toolCalls().isEmpty(), WAIT)).isTrue();
        assertThat(listener.toolCalls()).containsExactly(new ToolCall("toolu_a", "hang_up", "{}"));
        assertThat(listener.terminalCount()).isZero();
        stream.close();
    }

    @Test
    void toolInputGivenWholeAtBlockStartIsKept() {
        ObjectNode start = Json.object().put("index", 0);
        start.putObject("content_block").put("type", "tool_use").put("id", "toolu_x").put("name", "book")
                .putObject("input").put("day", "monday");
        ClassifyingListener listener = run(LoopbackServer.Response.sse().write(messageStart())
                .write(event("content_block_start", start)).write(blockStop(0)).write(messageEnd("tool_use")));
        assertThat(listener.toolCalls()).containsExactly(new ToolCall("toolu_x", "book", "{\"day\":\"monday\"}"));
    }

    @Test
    void toolBlockNeverStoppedIsStillCalledAtMessageStop() {
        ObjectNode start = Json.object().put("index", 0);
        start.putObject("content_block").put("type", "tool_use").put("id", "toolu_y").put("name", "hang_up")
                .putObject("input");
        ClassifyingListener listener = run(LoopbackServer.Response.sse().write(messageStart())
                .write(event("content_block_start", start)).write(messageEnd("tool_use")));
        assertThat(listener.events()).containsExactly(
                new RecordingListener.Tool(new ToolCall("toolu_y", "hang_up", "{}")), new RecordingListener.Done());
    }

    @Test
    void oversizedToolInputIsMalformed() {
        String fragment = "\"" + "x".repeat(64 * 1024) + "\"";
        List<String> fragments = java.util.Collections.nCopies(AnthropicStream.MAX_INPUT_CHARS / fragment.length() + 2, fragment);
        ClassifyingListener listener = run(LoopbackServer.Response.sse().write(messageStart())
                .write(toolUse(0, "toolu_z", "book", fragments)).write(messageEnd("tool_use")));
        assertThat(listener.failure().kind()).isEqualTo(Kind.MALFORMED);
        assertThat(listener.toolCalls()).isEmpty();
    }

    @Test
    void pingsUnknownEventsAndThinkingDeltasAreIgnored() {
        ClassifyingListener listener = run(LoopbackServer.Response.sse()
                .write(messageStart())
                .write("event: ping\ndata: {\"type\": \"ping\"}\n\n")
                .write(event("content_block_start", Json.object().put("index", 0).set("content_block",
                        Json.object().put("type", "thinking").put("thinking", ""))))
                .write(event("content_block_delta", Json.object().put("index", 0).set("delta",
                        Json.object().put("type", "thinking_delta").put("thinking", "hmm"))))
                .write(blockStop(0))
                .write(event("brand_new_event", Json.object().put("whatever", 1)))
                .write(textStart(1)).write(text(1, "Hello.")).write(blockStop(1))
                .write(messageEnd("end_turn")));
        assertThat(listener.events()).containsExactly(new RecordingListener.Text("Hello."), new RecordingListener.Done());
    }

    @Test
    void rateLimitErrorEventIsRateLimited() {
        ClassifyingListener listener = run(LoopbackServer.Response.sse().write(messageStart())
                .write("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"x\"}}\n\n"));
        assertThat(listener.failure().kind()).isEqualTo(Kind.RATE_LIMITED);
    }

    @Test
    void inputDeltaForNoToolBlockIsMalformed() {
        ClassifyingListener listener = run(LoopbackServer.Response.sse().write(messageStart())
                .write(event("content_block_delta", Json.object().put("index", 3).set("delta",
                        Json.object().put("type", "input_json_delta").put("partial_json", "{")))));
        assertThat(listener.failure().kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void overloadedStatusIsAServerFailure() {
        ClassifyingListener listener = run(LoopbackServer.Response.status(529).fixedLength()
                .write("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        assertThat(listener.failure().kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(listener.failure().safeMessage()).contains("529").contains("overloaded_error");
    }

    @Test
    void toolSchemaThatIsNotJsonFailsBeforeAnythingIsSent() {
        model = new AnthropicLanguageModel(config().build());
        ClassifyingListener listener = new ClassifyingListener();
        model.stream(new LlmRequest(List.of(new UserMessage("Hi")),
                List.of(new ToolDefinition("broken", "Broken", "[1,2]"))), listener);
        assertThat(listener.failure().kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(server.requestCount()).isZero();
    }
}
