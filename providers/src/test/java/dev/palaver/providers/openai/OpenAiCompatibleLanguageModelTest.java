package dev.palaver.providers.openai;

import static dev.palaver.providers.openai.OpenAiCompatibleFaultTest.chunk;
import static dev.palaver.providers.openai.OpenAiCompatibleFaultTest.toolFragment;
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
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenAiCompatibleLanguageModelTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"phone\":{\"type\":\"string\"}},\"required\":[\"phone\"]}";
    private static final LlmRequest HELLO = new LlmRequest(List.of(new UserMessage("Hello")), List.of());

    private LoopbackServer server;
    private OpenAiCompatibleLanguageModel model;

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

    private OpenAiCompatibleLanguageModel model(OpenAiCompatibleConfig.Builder config) {
        model = new OpenAiCompatibleLanguageModel(config.timeouts(HttpTimeouts.of(Duration.ofMillis(300))).build());
        return model;
    }

    private OpenAiCompatibleConfig.Builder config() {
        return OpenAiCompatibleConfig.builder(server.url("/v1"), "llama3.1").apiKey("sk-local-123456");
    }

    private ClassifyingListener run(LlmRequest request, LoopbackServer.Response response) {
        server.enqueue(response);
        if (model == null) {
            model(config());
        }
        ClassifyingListener listener = new ClassifyingListener();
        model.stream(request, listener);
        listener.awaitTerminal(WAIT);
        return listener;
    }

    private static String done() {
        return chunk(Json.object(), "stop") + "data: [DONE]\n\n";
    }

    @Test
    void requestBodyCarriesTheConversationToolsAndSettings() {
        model(config().temperature(0.4).maxTokens(200));
        LlmRequest request = new LlmRequest(List.of(
                new SystemMessage("You are the front desk."),
                new AssistantMessage("Hi, how can I help?", List.of(), false),
                new UserMessage("Is my appointment on?"),
                new AssistantMessage("Let me check.", List.of(
                        new ToolCall("call_a", "lookup_customer", "{\"phone\":\"555\"}"),
                        new ToolCall("call_b", "find_slots", "not json")), false),
                new ToolMessage("call_a", "lookup_customer", "{\"name\":\"Ann\"}", false),
                new ToolMessage("call_b", "find_slots", "calendar offline", true),
                new AssistantMessage("", List.of(), true),
                new UserMessage("Thanks")),
                List.of(new ToolDefinition("lookup_customer", "Finds a customer by phone", SCHEMA)));
        run(request, LoopbackServer.Response.sse().write(done()));

        JsonNode body = Json.tryParse(server.takeRequest().body());
        JsonNode expected = Json.tryParse("""
                {"model":"llama3.1","stream":true,"messages":[
                  {"role":"system","content":"You are the front desk."},
                  {"role":"assistant","content":"Hi, how can I help?"},
                  {"role":"user","content":"Is my appointment on?"},
                  {"role":"assistant","content":"Let me check.","tool_calls":[
                    {"id":"call_a","type":"function","function":{"name":"lookup_customer","arguments":"{\\"phone\\":\\"555\\"}"}},
                    {"id":"call_b","type":"function","function":{"name":"find_slots","arguments":"not json"}}]},
                  {"role":"tool","tool_call_id":"call_a","content":"{\\"name\\":\\"Ann\\"}"},
                  {"role":"tool","tool_call_id":"call_b","content":"Error: calendar offline"},
                  {"role":"user","content":"Thanks"}],
                 "tools":[{"type":"function","function":{"name":"lookup_customer","description":"Finds a customer by phone",
                   "parameters":%s}}],
                 "temperature":0.4,"max_tokens":200}
                """.formatted(SCHEMA));
        assertThat(body).isEqualTo(expected);
    }

    @Test
    void assistantTurnWithOnlyToolCallsHasNullContent() {
        LlmRequest request = new LlmRequest(List.of(new UserMessage("Book me"),
                new AssistantMessage("", List.of(new ToolCall("c1", "book", "{}")), false)), List.of());
        run(request, LoopbackServer.Response.sse().write(done()));
        JsonNode assistant = Json.tryParse(server.takeRequest().body()).path("messages").path(1);
        assertThat(assistant.get("content").isNull()).isTrue();
        assertThat(assistant.path("tool_calls").size()).isEqualTo(1);
    }

    @Test
    void maxCompletionTokensIsUsedWhenConfigured() {
        model(config().maxTokens(50).maxTokensParameter("max_completion_tokens"));
        run(HELLO, LoopbackServer.Response.sse().write(done()));
        JsonNode body = Json.tryParse(server.takeRequest().body());
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(50);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("tools")).isFalse();
    }

    @Test
    void noKeyMeansNoAuthorizationHeader() {
        model(OpenAiCompatibleConfig.builder(server.url("/v1"), "local"));
        ClassifyingListener listener = run(HELLO, LoopbackServer.Response.sse().write(done()));
        assertThat(listener.done()).isTrue();
        assertThat(server.takeRequest().header("Authorization")).isNull();
    }

    @Test
    void parallelToolCallsAreAssembledByIndex() {
        ClassifyingListener listener = run(HELLO, LoopbackServer.Response.sse()
                .write(chunk(Json.object().put("content", "One moment."), null))
                .write(toolFragment(0, "call_a", "lookup_customer", ""))
                .write(toolFragment(1, "call_b", "find_slots", ""))
                .write(toolFragment(0, null, null, "{\"phone\":"))
                .write(toolFragment(1, null, null, "{\"day\":"))
                .write(toolFragment(0, null, null, "\"555\"}"))
                .write(toolFragment(1, null, null, "\"monday\"}"))
                .write(chunk(Json.object(), "tool_calls"))
                .write("data: [DONE]\n\n"));
        assertThat(listener.events()).containsExactly(
                new RecordingListener.Text("One moment."),
                new RecordingListener.Tool(new ToolCall("call_a", "lookup_customer", "{\"phone\":\"555\"}")),
                new RecordingListener.Tool(new ToolCall("call_b", "find_slots", "{\"day\":\"monday\"}")),
                new RecordingListener.Done());
    }

    @Test
    void wholeCallsRepeatedAtIndexZeroAreSeparateCalls() {
        ClassifyingListener listener = run(HELLO, LoopbackServer.Response.sse()
                .write(toolFragment(0, "call_1", "lookup_customer", "{\"phone\":\"555\"}"))
                .write(toolFragment(0, "call_2", "find_slots", "{\"day\":\"monday\"}"))
                .write(done()));
        assertThat(listener.toolCalls()).containsExactly(
                new ToolCall("call_1", "lookup_customer", "{\"phone\":\"555\"}"),
                new ToolCall("call_2", "find_slots", "{\"day\":\"monday\"}"));
        assertThat(listener.done()).isTrue();
    }

    @Test
    void fragmentsWithoutIndexOrIdContinueTheLatestCallAndGetAnId() {
        ClassifyingListener listener = run(HELLO, LoopbackServer.Response.sse()
                .write("data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"hang_up\",\"arguments\":\"{\\\"reason\\\":\"}}]}}]}\n\n")
                .write("data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"\\\"done\\\"}\"}}]}}]}\n\n")
                .write(done()));
        assertThat(listener.toolCalls()).containsExactly(new ToolCall("call_0", "hang_up", "{\"reason\":\"done\"}"));
    }

    @Test
    void emptyArgumentsBecomeAnEmptyObjectAndObjectArgumentsBecomeText() {
        ClassifyingListener listener = run(HELLO, LoopbackServer.Response.sse()
                .write(toolFragment(0, "c1", "hang_up", ""))
                .write("data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"c2\",\"function\":{\"name\":\"book\",\"arguments\":{\"day\":\"mon\"}}}]}}]}\n\n")
                .write(done()));
        assertThat(listener.toolCalls()).containsExactly(new ToolCall("c1", "hang_up", "{}"),
                new ToolCall("c2", "book", "{\"day\":\"mon\"}"));
    }

    @Test
    void tooManyToolCallsAreMalformed() {
        LoopbackServer.Response response = LoopbackServer.Response.sse();
        for (int i = 0; i <= ToolCallAssembler.MAX_CALLS; i++) {
            response.write(toolFragment(i, "c" + i, "hang_up", "{}"));
        }
        ClassifyingListener listener = run(HELLO, response.write(done()));
        assertThat(listener.failure().kind()).isEqualTo(Kind.MALFORMED);
        assertThat(listener.toolCalls()).isEmpty();
    }

    @Test
    void oversizedToolArgumentsAreMalformed() {
        String fragment = "x".repeat(64 * 1024);
        LoopbackServer.Response response = LoopbackServer.Response.sse().write(toolFragment(0, "c", "book", "{"));
        for (int i = 0; i <= ToolCallAssembler.MAX_ARGUMENT_CHARS / fragment.length(); i++) {
            response.write(toolFragment(0, null, null, fragment));
        }
        ClassifyingListener listener = run(HELLO, response.write(done()));
        assertThat(listener.failure().kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void finishReasonWithoutDoneMarkerCompletesTheReply() {
        ClassifyingListener listener = run(HELLO, LoopbackServer.Response.sse()
                .write(chunk(Json.object().put("content", "Bye."), null))
                .write(chunk(Json.object(), "stop")));
        assertThat(listener.text()).isEqualTo("Bye.");
        assertThat(listener.done()).isTrue();
    }

    @Test
    void usageChunksOtherChoicesAndReasoningAreIgnored() {
        ClassifyingListener listener = run(HELLO, LoopbackServer.Response.sse()
                .write(": comment from a proxy\n\n")
                .write("data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"thinking...\"}}]}\n\n")
                .write("data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other choice\"}}]}\n\n")
                .write(chunk(Json.object().put("content", "Yes."), "stop"))
                .write("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}\n\n")
                .write("data: [DONE]\n\n"));
        assertThat(listener.events()).containsExactly(new RecordingListener.Text("Yes."), new RecordingListener.Done());
    }

    @Test
    void rateLimitErrorInTheStreamIsRateLimited() {
        ClassifyingListener listener = run(HELLO, LoopbackServer.Response.sse()
                .write("data: {\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}\n\n"));
        assertThat(listener.failure().kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(listener.failure().safeMessage()).contains("rate_limit_exceeded").doesNotContain("slow down");
    }

    @Test
    void toolSchemaThatIsNotJsonFailsBeforeAnythingIsSent() {
        model(config());
        ClassifyingListener listener = new ClassifyingListener();
        model.stream(new LlmRequest(List.of(new UserMessage("Hi")),
                List.of(new ToolDefinition("broken", "Broken", "{not json"))), listener);
        assertThat(listener.failure().kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(listener.failure().safeMessage()).contains("broken");
        assertThat(server.requestCount()).isZero();
        assertThat(model.openStreams()).isZero();
    }

    @Test
    void baseUrlTrailingSlashIsIgnored() {
        model(OpenAiCompatibleConfig.builder(URI.create(server.url("/v1") + "/"), "m"));
        run(HELLO, LoopbackServer.Response.sse().write(done()));
        assertThat(server.takeRequest().path()).isEqualTo("/v1/chat/completions");
    }
}
