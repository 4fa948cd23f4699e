package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import tools.jackson.databind.JsonNode;

import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.server.agents.AgentDefinition;
import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.providers.ProviderCredentials;
import dev.palaver.server.testing.Http;
import dev.palaver.server.testing.SharedPalaverContext;

/** Custom HTTP tools against a real HTTP server on loopback (allowed explicitly where a test needs it). */
class HttpToolsTest extends SharedPalaverContext {

    private static final String SECRET = "tool-secret-5d1e8c";

    private ToolEndpoint endpoint;
    private UUID org;
    private String token;

    @BeforeEach
    void start() throws Exception {
        endpoint = new ToolEndpoint();
        org = IdentityTestAccess.organization(context);
        token = IdentityTestAccess.adminToken(context, org);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private void setSecret() {
        HttpResponse<String> r = http.send(http.request("/api/v1/provider-credentials/http-tools")
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"apiKey\": \"" + SECRET + "\"}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private AgentDefinition agentWithTool(String url) {
        String body = """
                {"name": "Orders %s", "brain": "llm", "personaPrompt": "You help with orders.", "language": "en-US",
                 "providers": {"stt": {"provider": "offline", "fallbacks": []},
                               "llm": {"provider": "openai", "fallbacks": []},
                               "tts": {"provider": "offline", "fallbacks": []}},
                 "tools": ["end_call", "transfer_call", "send_dtmf"],
                 "httpTools": [{"name": "lookup_order", "description": "Looks up an order.", "url": "%s",
                                "schema": {"type": "object", "properties": {"order_id": {"type": "string", "pattern": "^[0-9]+$"}},
                                           "required": ["order_id"], "additionalProperties": false}}]}
                """.formatted(UUID.randomUUID(), url);
        HttpResponse<String> created = http.postJson("/api/v1/agents", body, "Authorization", "Bearer " + token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(Http.json(created).get("id").asString());
        return context.getBean(AgentDefinitions.class).current(org, id).orElseThrow().definition();
    }

    private HttpTools tools(boolean allowPrivate, Duration timeout, DataSize maxResponse) {
        BrainProperties props = new BrainProperties(new BrainProperties.HttpTools(allowPrivate, timeout, maxResponse),
                new BrainProperties.TestSessions(10, Duration.ofMinutes(1)), 0.5);
        return new HttpTools(context.getBean(ProviderCredentials.class), props);
    }

    private AgentToolbox toolbox(AgentDefinition agent, HttpTools httpTools, CallControl control) {
        ToolContext ctx = new ToolContext(org, null, null, agent, control, Instant::now);
        return new AgentToolbox(ctx, context.getBean(BuiltInTools.class), httpTools, TestTurnsClient.JSON,
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    }

    /** The tools of an agent whose lookup_order tool is the test endpoint, with the usual limits. */
    private AgentToolbox ordersToolbox(boolean allowPrivate, CallControl control) {
        return toolbox(agentWithTool(endpoint.url("/orders")), tools(allowPrivate, Duration.ofSeconds(2),
                DataSize.ofKilobytes(64)), control);
    }

    private static ToolResult run(AgentToolbox toolbox, String name, String args) {
        return toolbox.execute(new ToolCall("c1", name, args)).join();
    }

    @Test
    void postsSignedArgumentsAndReturnsTheAnswer() throws Exception {
        setSecret();
        AgentToolbox toolbox = ordersToolbox(true, CallControl.NONE);

        ToolResult result = run(toolbox, "lookup_order", "{\"order_id\": \"1234\"}");

        assertThat(result.error()).as(result.content()).isFalse();
        assertThat(result.content()).isEqualTo("{\"status\": \"shipped\"}");
        ToolEndpoint.Received request = endpoint.received().getFirst();
        assertThat(request.body()).isEqualTo("{\"order_id\":\"1234\"}");
        assertThat(request.header("X-Palaver-Tool")).isEqualTo("lookup_order");
        String timestamp = request.header("X-Palaver-Timestamp");
        assertThat(Long.parseLong(timestamp)).isCloseTo(Instant.now().getEpochSecond(), within(5L));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.header("X-Palaver-Signature")).isEqualTo("sha256=" + expected);
    }

    @Test
    void argumentsThatBreakTheSchemaNeverLeave() {
        setSecret();
        AgentToolbox toolbox = ordersToolbox(true, CallControl.NONE);
        ToolResult wrong = run(toolbox, "lookup_order", "{\"order_id\": \"12a\", \"extra\": 1}");
        assertThat(wrong.error()).isTrue();
        assertThat(wrong.content()).contains("$.order_id: must match ^[0-9]+$").contains("$.extra: is not a parameter");
        ToolResult notJson = run(toolbox, "lookup_order", "{order_id: 1");
        assertThat(notJson.error()).isTrue();
        assertThat(notJson.content()).contains("not valid JSON");
        ToolResult unknown = run(toolbox, "delete_everything", "{}");
        assertThat(unknown.content()).contains("There is no tool named delete_everything");
        assertThat(endpoint.received()).isEmpty();
    }

    @Test
    void loopbackAndPrivateAddressesAreRefusedByDefault() throws Exception {
        setSecret();
        AgentToolbox toolbox = ordersToolbox(false, CallControl.NONE);
        ToolResult refused = run(toolbox, "lookup_order", "{\"order_id\": \"1\"}");
        assertThat(refused.error()).isTrue();
        assertThat(refused.content()).contains("non-public address");
        assertThat(endpoint.received()).isEmpty();
        for (String address : new String[] {"10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "::1", "fd00::1", "fe80::1"}) {
            assertThat(HttpTools.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
        assertThat(HttpTools.isPublic(InetAddress.getByName("93.184.216.34"))).isTrue();
        assertThat(HttpTools.isPublic(InetAddress.getByName("2606:4700::1111"))).isTrue();
    }

    @Test
    void slowLargeFailingAndRedirectingToolsAreErrors() {
        setSecret();
        AgentDefinition agent = agentWithTool(endpoint.url("/orders"));
        AgentToolbox quick = toolbox(agent, tools(true, Duration.ofMillis(300), DataSize.ofBytes(64)), CallControl.NONE);

        endpoint.delays(1500);
        assertThat(run(quick, "lookup_order", "{\"order_id\": \"1\"}").content()).contains("did not answer within 300 ms");
        endpoint.delays(0).answers(200, "x".repeat(65));
        assertThat(run(quick, "lookup_order", "{\"order_id\": \"1\"}").content()).contains("larger than 64 bytes");
        endpoint.answers(500, "database down");
        ToolResult failed = run(quick, "lookup_order", "{\"order_id\": \"1\"}");
        assertThat(failed.error()).isTrue();
        assertThat(failed.content()).contains("HTTP 500: database down");
        endpoint.redirectsTo("http://169.254.169.254/latest/meta-data");
        assertThat(run(quick, "lookup_order", "{\"order_id\": \"1\"}").content()).contains("HTTP 302");
        assertThat(endpoint.received()).hasSize(4);
    }

    @Test
    void withoutTheOrganizationsSecretNothingIsSent() {
        AgentToolbox toolbox = ordersToolbox(true, CallControl.NONE);
        assertThat(run(toolbox, "lookup_order", "{\"order_id\": \"1\"}").content()).contains("no http-tools signing secret");
        assertThat(endpoint.received()).isEmpty();
    }

    @Test
    void callControlToolsActOnTheConversation() {
        java.util.List<String> done = new java.util.concurrent.CopyOnWriteArrayList<>();
        CallControl control = new CallControl() {
            @Override
            public void transfer(String destination) {
                done.add("transfer " + destination);
            }

            @Override
            public void sendDtmf(String digits) {
                done.add("dtmf " + digits);
            }

            @Override
            public void endCall() {
                done.add("end");
            }
        };
        AgentToolbox toolbox = ordersToolbox(true, control);
        assertThat(run(toolbox, "transfer_call", "{\"destination\": \"+1 (415) 555-0100\"}").error()).isFalse();
        assertThat(run(toolbox, "transfer_call", "{\"destination\": \"sip:desk@pbx.example.test\"}").error()).isFalse();
        assertThat(run(toolbox, "transfer_call", "{\"destination\": \"the manager\"}").error()).isTrue();
        assertThat(run(toolbox, "send_dtmf", "{\"digits\": \"12#\"}").error()).isFalse();
        assertThat(run(toolbox, "send_dtmf", "{\"digits\": \"12a\"}").error()).isTrue();
        ToolResult end = run(toolbox, "end_call", "{}");
        assertThat(end.endCall()).isTrue();
        assertThat(done).containsExactly("transfer +14155550100", "transfer sip:desk@pbx.example.test", "dtmf 12#", "end");
        JsonNode listed = TestTurnsClient.JSON.valueToTree(toolbox.definitions().stream().map(d -> d.name()).toList());
        assertThat(listed.toString()).isEqualTo("[\"end_call\",\"transfer_call\",\"send_dtmf\",\"lookup_order\"]");
    }
}
