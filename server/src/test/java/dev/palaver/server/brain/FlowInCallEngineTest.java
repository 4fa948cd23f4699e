package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.call.CallEvent;
import dev.palaver.media.call.CallSession;
import dev.palaver.media.call.CallSettings;
import dev.palaver.media.call.EndReason;
import dev.palaver.media.call.LoopMode;
import dev.palaver.media.fake.FakeSpeechToText;
import dev.palaver.media.fake.FakeTextToSpeech;
import dev.palaver.media.fake.FakeVoiceActivityDetector;
import dev.palaver.media.fake.Latency;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolExecutor;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.time.VirtualScheduler;
import dev.palaver.media.transport.InMemoryTransport;
import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.agents.AgentVersion;
import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.providers.VoiceStack;
import dev.palaver.server.testing.SharedPalaverContext;

/**
 * The offline Front desk brain inside the media engine's {@code CallSession}, as a phone call runs it: the
 * flow is the session's language model, its functions run through the session's tool handling, and its
 * goodbye ends the call. Speech is faked; the brain, tools and database are real. The session runs on
 * virtual time, which stands still while the brain works on its own threads (so a slow machine never looks
 * like a stalled model).
 */
class FlowInCallEngineTest extends SharedPalaverContext {

    private final VirtualScheduler clock = new VirtualScheduler();
    private final InMemoryTransport transport = new InMemoryTransport(clock, true);
    private final FakeVoiceActivityDetector vad = new FakeVoiceActivityDetector(AudioFormat.SAMPLES_PER_FRAME);
    private final List<CallEvent> events = new ArrayList<>();
    private final AtomicInteger thinking = new AtomicInteger();
    private CallSession session;

    /** The brain's model, counting the completions in flight. */
    private LanguageModel counted(LanguageModel model) {
        return (request, listener) -> {
            thinking.incrementAndGet();
            AtomicBoolean finished = new AtomicBoolean();
            Runnable finish = () -> {
                if (finished.compareAndSet(false, true)) {
                    thinking.decrementAndGet();
                }
            };
            LanguageModel.Stream stream = model.stream(request, new LanguageModel.Listener() {
                @Override
                public void onText(String delta) {
                    listener.onText(delta);
                }

                @Override
                public void onToolCall(ToolCall call) {
                    listener.onToolCall(call);
                }

                @Override
                public void onDone() {
                    listener.onDone();
                    finish.run();
                }

                @Override
                public void onError(String message) {
                    listener.onError(message);
                    finish.run();
                }
            });
            return () -> {
                stream.close();
                finish.run();
            };
        };
    }

    /** The brain's tools, counting the calls in flight. */
    private ToolExecutor counted(ToolExecutor tools) {
        return new ToolExecutor() {
            @Override
            public List<ToolDefinition> definitions() {
                return tools.definitions();
            }

            @Override
            public CompletableFuture<ToolResult> execute(ToolCall call) {
                thinking.incrementAndGet();
                CompletableFuture<ToolResult> result = tools.execute(call);
                result.whenComplete((r, e) -> thinking.decrementAndGet());
                return result;
            }
        };
    }

    private void awaitBrain() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (thinking.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        clock.runDueTasks();
    }

    /** Caller audio for {@code millis}, on virtual time; real time passes too, for the brain's own threads. */
    private void frames(long millis, short value) throws InterruptedException {
        for (long t = 0; t < millis; t += AudioFormat.FRAME_MILLIS) {
            if (!session.isEnded()) {
                short[] frame = new short[AudioFormat.SAMPLES_PER_FRAME];
                Arrays.fill(frame, value);
                transport.receiveAudio(frame);
            }
            awaitBrain();
            clock.advance(Duration.ofMillis(AudioFormat.FRAME_MILLIS));
            awaitBrain();
        }
    }

    private void silenceUntil(BooleanSupplier done, long maxMillis) throws InterruptedException {
        for (long waited = 0; waited < maxMillis && !done.getAsBoolean(); waited += 200) {
            frames(200, (short) 0);
        }
    }

    private boolean agentSaid(String words) {
        return session.history().stream().anyMatch(m -> m instanceof AssistantMessage a && a.text().contains(words));
    }

    @Test
    void aPhoneCallWithTheOfflineFrontDesk() throws Exception {
        UUID org = IdentityTestAccess.organization(context);
        UUID agentId = context.getBean(FrontDesk.class).create(org);
        AgentVersion agent = context.getBean(AgentDefinitions.class).current(org, agentId).orElseThrow();
        FakeSpeechToText stt = FakeSpeechToText.builder(clock).finalLatency(Latency.millis(100))
                .transcripts("What are your opening hours?", "No, that's all, thank you").build();
        FakeTextToSpeech tts = FakeTextToSpeech.builder(clock).timeToFirstByte(Latency.millis(50))
                .millisPerCharacter(1).pieceMillis(60_000).build();
        AgentBrain brain = context.getBean(AgentBrains.class).open(new Conversation(org, agent, UUID.randomUUID(),
                "+14155550160", Conversation.Channel.PHONE, new VoiceStack(stt, null, tts, List.of()), CallControl.NONE));
        CallSettings settings = agent.definition().callSettings(CallSettings.builder().build()).toBuilder()
                .systemPrompt(brain.systemPrompt()).firstMessage(brain.firstMessage()).build();
        session = CallSession.builder().callId("front-desk-call").settings(settings).transport(transport)
                .speechToText(stt).languageModel(counted(brain.languageModel())).textToSpeech(tts).tools(counted(brain.tools()))
                .voiceActivityDetector(vad).scheduler(clock).sink(events::add).loopMode(LoopMode.ON_SCHEDULER).build();
        session.start();
        clock.runDueTasks();
        silenceUntil(() -> agentSaid("How can I help you today?"), 3000);

        frames(800, (short) 1000);
        silenceUntil(() -> agentSaid("9 am to 6 pm"), 8000);
        assertThat(agentSaid("Monday to Saturday from 9 am to 6 pm")).as(session.history().toString()).isTrue();

        frames(800, (short) 1000);
        silenceUntil(session::isEnded, 8000);

        assertThat(agentSaid("Thank you for calling Harbour Hair. Goodbye!")).as(session.history().toString()).isTrue();
        assertThat(events.stream().filter(CallEvent.ToolCalled.class::isInstance).map(e -> ((CallEvent.ToolCalled) e).name()))
                .containsExactly("knowledge_search", "end_call");
        assertThat(events.stream().filter(CallEvent.CallEnded.class::isInstance).map(e -> ((CallEvent.CallEnded) e).reason()))
                .containsExactly(EndReason.AGENT_HUNG_UP);
        assertThat(brain.flowNode()).contains("goodbye");
        brain.conversationEnded(session.history());
        brain.close();
    }
}
