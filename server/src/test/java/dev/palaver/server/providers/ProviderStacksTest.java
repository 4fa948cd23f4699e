package dev.palaver.server.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.providers.resilience.Resilience;
import dev.palaver.server.agents.AgentDefinition;
import dev.palaver.server.agents.AgentDefinition.ProviderChain;
import dev.palaver.server.agents.AgentDefinition.ProviderChoice;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.testing.SharedPalaverContext;

@ExtendWith(OutputCaptureExtension.class)
class ProviderStacksTest extends SharedPalaverContext {

    private static final String SENTENCE = "Your table for two is booked for seven.";

    private final List<FakeProvider> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(FakeProvider::close);
    }

    @Test
    void speechFallsFromARejectedElevenLabsKeyAndAFailingOpenAiDefaultToFlite(CapturedOutput output) {
        FakeProvider elevenLabs = server(401);
        FakeProvider openAi = server(503);
        String orgKey = "el-org-key-" + UUID.randomUUID();
        String defaultKey = "sk-default-" + UUID.randomUUID();
        UUID org = IdentityTestAccess.organization(context);
        putCredential(org, "elevenlabs", orgKey, elevenLabs.url(""));
        ProviderStacks stacks = stacks(defaults(openAi.url("/v1"), defaultKey, null));

        AgentDefinition agent = agent(null,
                chain("elevenlabs", "openai", "offline"));
        try (VoiceStack stack = stacks.forAgent(org, agent)) {
            assertThat(stack.llm()).isNull();
            assertThat(stack.languageModel()).isEmpty();
            Heard heard = synthesize(stack.tts());
            assertThat(heard.error).isNull();
            assertThat(heard.samples.get()).as("audio from flite").isGreaterThan(8_000);
        }
        assertThat(elevenLabs.hits.get()).as("a rejected key is not retried").isEqualTo(1);
        assertThat(elevenLabs.keys).containsExactly(orgKey);
        assertThat(openAi.hits.get()).isGreaterThanOrEqualTo(1);
        assertThat(openAi.keys).allMatch(("Bearer " + defaultKey)::equals);
        assertThat(output.getAll()).doesNotContain(orgKey).doesNotContain(defaultKey);
    }

    @Test
    void anOrganizationsOwnCredentialWinsOverTheServerDefault(CapturedOutput output) {
        FakeProvider own = server(200);
        FakeProvider shared = server(200);
        String orgKey = "sk-org-" + UUID.randomUUID();
        String defaultKey = "sk-default-" + UUID.randomUUID();
        UUID withOwnKey = IdentityTestAccess.organization(context);
        UUID withoutKey = IdentityTestAccess.organization(context);
        putCredential(withOwnKey, "openai", orgKey, own.url("/v1"));
        ProviderStacks stacks = stacks(defaults(shared.url("/v1"), defaultKey, null));

        AgentDefinition chosen = agent(chain("openai"),
                new ProviderChain("openai", "gpt-4o-mini-tts", "nova", List.of()));
        try (VoiceStack stack = stacks.forAgent(withOwnKey, chosen)) {
            assertThat(stack.llm()).isNotNull();
            Heard heard = synthesize(stack.tts());
            assertThat(heard.error).isNull();
            assertThat(heard.samples.get()).isPositive();
        }
        assertThat(own.keys).containsExactly("Bearer " + orgKey);
        assertThat(own.bodies.getFirst()).contains("\"gpt-4o-mini-tts\"").contains("\"nova\"");
        assertThat(shared.hits.get()).isZero();

        try (VoiceStack stack = stacks.forAgent(withoutKey, agent(null, chain("openai")))) {
            assertThat(synthesize(stack.tts()).samples.get()).isPositive();
        }
        assertThat(shared.keys).containsExactly("Bearer " + defaultKey);
        assertThat(shared.bodies.getFirst()).as("the defaults").contains("\"tts-1\"").contains("\"alloy\"");
        assertThat(output.getAll()).doesNotContain(orgKey).doesNotContain(defaultKey);
    }

    @Test
    void aChoiceWithoutACredentialIsSkippedAndNamed(CapturedOutput output) {
        String groqKey = "gsk-default-" + UUID.randomUUID();
        ProviderStacks stacks = stacks(defaults(null, null, groqKey));
        UUID org = IdentityTestAccess.organization(context);

        try (VoiceStack stack = stacks.forAgent(org, agent(null, chain("deepgram", "offline")))) {
            Heard heard = synthesize(stack.tts());
            assertThat(heard.error).isNull();
            assertThat(heard.samples.get()).isPositive();
        }
        assertThat(output.getAll()).contains("WARN").contains("Skipping tts provider 'deepgram'")
                .doesNotContain(groqKey);
    }

    @Test
    void aKindWithNoUsableProviderIsAClearError(CapturedOutput output) {
        ProviderStacks stacks = stacks(ProviderDefaults.none());
        UUID org = IdentityTestAccess.organization(context);

        assertThatThrownBy(() -> stacks.forAgent(org, agent(chain("anthropic", "openai"), chain("offline"))))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("No llm provider").hasMessageContaining("anthropic");
        assertThatThrownBy(() -> stacks.forAgent(org, agent(null, chain("elevenlabs"))))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("No tts provider").hasMessageContaining("elevenlabs");
        assertThat(output.getAll()).contains("Skipping llm provider 'anthropic'").contains("Skipping tts provider 'elevenlabs'");
    }

    @Test
    void theServerHasOneSharedStackBuilder() {
        assertThat(context.getBean(ProviderStacks.class)).isNotNull();
        assertThat(context.getBeansOfType(Resilience.class)).hasSize(1);
        assertThat(context.getBean(ProviderDefaults.class).toString()).doesNotContain("sk-");
    }

    // --- helpers

    private ProviderStacks stacks(ProviderDefaults defaults) {
        return new ProviderStacks(context.getBean(ProviderCredentials.class), defaults,
                context.getBean(OfflineSpeech.class), context.getBean(Resilience.class));
    }

    private static ProviderDefaults defaults(String openAiUrl, String openAiKey, String groqKey) {
        var none = ProviderDefaults.Default.NONE;
        return new ProviderDefaults(new ProviderDefaults.Default(openAiKey, openAiUrl), none,
                new ProviderDefaults.Default(groqKey, null), none, none);
    }

    private void putCredential(UUID org, String provider, String key, String baseUrl) {
        String admin = "Bearer " + IdentityTestAccess.adminToken(context, org);
        var response = http.send(http.request("/api/v1/provider-credentials/" + provider)
                .header("Authorization", admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + key + "\",\"baseUrl\":\"" + baseUrl + "\"}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static ProviderChain chain(String first, String... fallbacks) {
        return new ProviderChain(first, null, null,
                java.util.Arrays.stream(fallbacks).map(p -> new ProviderChoice(p, null, null)).toList());
    }

    private static AgentDefinition agent(ProviderChain llm, ProviderChain tts) {
        return new AgentDefinition("Stacks", llm == null ? AgentDefinition.Brain.FLOW : AgentDefinition.Brain.LLM,
                "You book tables.", "", "en-US", null,
                new AgentDefinition.Providers(chain("offline"), llm, tts),
                new AgentDefinition.Endpointing(500),
                new AgentDefinition.Interruption(300, true, AgentDefinition.FalseInterruption.RESUME),
                List.of(), List.of(), List.of(), new AgentDefinition.Memory(false),
                new AgentDefinition.Limits(600, 30), true, null);
    }

    private static final class Heard implements TextToSpeech.Listener {
        final AtomicInteger samples = new AtomicInteger();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile String error;

        @Override
        public void onAudio(short[] pcm) {
            samples.addAndGet(pcm.length);
        }

        @Override
        public void onDone() {
            ended.countDown();
        }

        @Override
        public void onError(String message) {
            error = message;
            ended.countDown();
        }
    }

    private static Heard synthesize(TextToSpeech tts) {
        Heard heard = new Heard();
        try (TextToSpeech.Synthesis synthesis = tts.synthesize(SENTENCE, heard)) {
            assertThat(heard.ended.await(20, TimeUnit.SECONDS)).as("synthesis ends").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return heard;
    }

    private FakeProvider server(int status) {
        FakeProvider server = new FakeProvider(status);
        servers.add(server);
        return server;
    }

    /** A loopback stand-in for a cloud speech API: answers every request with one status (audio on 200). */
    private static final class FakeProvider implements AutoCloseable {
        final AtomicInteger hits = new AtomicInteger();
        final List<String> keys = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        FakeProvider(int status) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                hits.incrementAndGet();
                String key = exchange.getRequestHeaders().getFirst("xi-api-key");
                keys.add(key != null ? key : String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] body;
                if (status == 200) {
                    body = new byte[24_000]; // 0.5 s of 24 kHz PCM16
                    for (int i = 0; i < body.length / 2; i++) {
                        short s = (short) (8000 * Math.sin(i * 2 * Math.PI * 440 / 24_000));
                        body[2 * i] = (byte) s;
                        body[2 * i + 1] = (byte) (s >> 8);
                    }
                    exchange.getResponseHeaders().set("Content-Type", "audio/pcm");
                } else {
                    body = "{\"error\":\"nope\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                }
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
