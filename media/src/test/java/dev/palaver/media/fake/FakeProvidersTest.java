package dev.palaver.media.fake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.time.VirtualScheduler;
import dev.palaver.media.tts.TextToSpeech;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FakeProvidersTest {

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<String> got = new ArrayList<>();

    private long ms() {
        return clock.nanoTime() / 1_000_000;
    }

    private static short[] speech() {
        short[] frame = new short[320];
        Arrays.fill(frame, (short) 100);
        return frame;
    }

    // ---- speech to text

    private SpeechToText.Listener sttListener() {
        return new SpeechToText.Listener() {
            @Override
            public void onPartial(String text) {
                got.add(ms() + " partial " + text);
            }

            @Override
            public void onFinal(String text, boolean flushed) {
                got.add(ms() + " final " + text + " " + flushed);
            }

            @Override
            public void onError(String message) {
                got.add(ms() + " error " + message);
            }
        };
    }

    @Test
    void recognitionAnswersEachEndOfSpeechWithTheNextScriptedTranscript() {
        FakeSpeechToText stt = FakeSpeechToText.builder(clock).transcripts("Hello there", "Bye")
                .finalLatency(Latency.millis(100)).partialAfter(Duration.ofMillis(40)).build();
        SpeechToText.Stream stream = stt.open(sttListener());

        stream.push(new short[320]);
        stream.push(speech());
        stream.push(speech());
        clock.runDueTasks();
        stream.endOfSpeech();
        clock.advance(Duration.ofMillis(100));
        stream.endOfSpeech();
        stream.endOfSpeech();
        clock.advance(Duration.ofMillis(100));

        assertThat(got).containsExactly("0 partial Hello", "100 final Hello there true", "200 final Bye true",
                "200 final  true");
        assertThat(stt.openStreams()).isEqualTo(1);
        stream.close();
        stream.close();
        assertThat(stt.openStreams()).isZero();
        assertThat(stt.streamsOpened()).isEqualTo(1);
    }

    @Test
    void recognitionCanStallOrFailOnChosenUtterances() {
        FakeSpeechToText stt = FakeSpeechToText.builder(clock).transcripts("a", "b", "c")
                .finalLatency(Latency.millis(10)).stallOnUtterance(0).failOnUtterance(1).build();
        SpeechToText.Stream stream = stt.open(sttListener());
        stream.endOfSpeech();
        stream.endOfSpeech();
        stream.endOfSpeech();
        clock.advance(Duration.ofSeconds(10));
        assertThat(got).containsExactly("10 error scripted failure", "10 final c true");
    }

    @Test
    void closedRecognitionStreamSendsNothingMore() {
        FakeSpeechToText stt = FakeSpeechToText.builder(clock).transcripts("a").build();
        SpeechToText.Stream stream = stt.open(sttListener());
        stream.endOfSpeech();
        stream.close();
        clock.advance(Duration.ofSeconds(1));
        assertThat(got).isEmpty();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void seededRandomLatencyRepeatsExactly() {
        Latency a = Latency.uniform(Duration.ofMillis(50), Duration.ofMillis(150), 42);
        Latency b = Latency.uniform(Duration.ofMillis(50), Duration.ofMillis(150), 42);
        for (int i = 0; i < 20; i++) {
            Duration next = a.next();
            assertThat(next).isEqualTo(b.next()).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
        }
    }

    // ---- language model

    private LanguageModel.Listener llmListener() {
        return new LanguageModel.Listener() {
            @Override
            public void onText(String delta) {
                got.add(ms() + " text " + delta);
            }

            @Override
            public void onToolCall(ToolCall call) {
                got.add(ms() + " tool " + call.name());
            }

            @Override
            public void onDone() {
                got.add(ms() + " done");
            }

            @Override
            public void onError(String message) {
                got.add(ms() + " error " + message);
            }
        };
    }

    private static final LlmRequest REQUEST = new LlmRequest(List.of(new UserMessage("hi")), List.of());

    @Test
    void modelStreamsWordsAndToolCallsOnSchedule() {
        FakeLanguageModel llm = FakeLanguageModel.builder(clock).timeToFirstToken(Latency.millis(200))
                .perToken(Duration.ofMillis(10))
                .replies(FakeReply.says("Hi there. ").thenCallsTool("1", "lookup", "{}")).build();
        llm.stream(REQUEST, llmListener());
        assertThat(llm.openStreams()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(got).containsExactly("200 text Hi ", "210 text there. ", "220 tool lookup", "220 done");
        assertThat(llm.openStreams()).isZero();
        assertThat(llm.requests()).containsExactly(REQUEST);
    }

    @Test
    void modelCanStallFailOrRunOutOfScript() {
        FakeLanguageModel llm = FakeLanguageModel.builder(clock).timeToFirstToken(Latency.millis(10))
                .replies(FakeReply.says("Half ").thenStalls(), FakeReply.fails("overloaded")).build();
        llm.stream(REQUEST, llmListener());
        llm.stream(REQUEST, llmListener());
        llm.stream(REQUEST, llmListener());
        clock.advance(Duration.ofSeconds(5));
        assertThat(got).containsExactly("10 text Half ", "10 error overloaded", "10 error no scripted reply");
        assertThat(llm.openStreams()).isEqualTo(1);
    }

    @Test
    void modelAnswersFromTheFallbackFunctionOnceTheScriptIsUsed() {
        FakeLanguageModel llm = FakeLanguageModel.builder(clock).timeToFirstToken(Latency.millis(0))
                .otherwise(request -> FakeReply.says("Echo " + request.messages().size())).build();
        llm.stream(REQUEST, llmListener());
        clock.advance(Duration.ofSeconds(1));
        assertThat(got).containsExactly("0 text Echo ", "20 text 1", "20 done");
    }

    @Test
    void closedModelStreamSendsNothingMore() {
        FakeLanguageModel llm = FakeLanguageModel.builder(clock).replies(FakeReply.says("Never heard.")).build();
        LanguageModel.Stream stream = llm.stream(REQUEST, llmListener());
        stream.close();
        clock.advance(Duration.ofSeconds(1));
        assertThat(got).isEmpty();
        assertThat(llm.openStreams()).isZero();
        assertThat(clock.pendingTasks()).isZero();
    }

    // ---- text to speech

    private final List<short[]> audio = new ArrayList<>();

    private TextToSpeech.Listener ttsListener() {
        return new TextToSpeech.Listener() {
            @Override
            public void onAudio(short[] pcm) {
                audio.add(pcm);
                got.add(ms() + " audio " + pcm.length);
            }

            @Override
            public void onDone() {
                got.add(ms() + " done");
            }

            @Override
            public void onError(String message) {
                got.add(ms() + " error " + message);
            }
        };
    }

    @Test
    void synthesisSendsAudioProportionalToTheTextInPieces() {
        FakeTextToSpeech tts = FakeTextToSpeech.builder(clock).timeToFirstByte(Latency.millis(100))
                .millisPerCharacter(50).pieceMillis(100).pieceInterval(Duration.ofMillis(30)).build();
        tts.synthesize("Hey.", ttsListener());
        clock.advance(Duration.ofSeconds(1));

        // 4 characters at 50 ms: 200 ms = 3200 samples, in two 100 ms pieces.
        assertThat(tts.samplesFor("Hey.")).isEqualTo(3200);
        assertThat(got).containsExactly("100 audio 1600", "130 audio 1600", "130 done");
        assertThat(audio).allSatisfy(pcm -> {
            for (short s : pcm) {
                assertThat(s).isNotZero();
            }
        });
        assertThat(tts.openSyntheses()).isZero();
        assertThat(tts.requests()).containsExactly("Hey.");
    }

    @Test
    void synthesisCanStallOrFailOnChosenTexts() {
        FakeTextToSpeech tts = FakeTextToSpeech.builder(clock).timeToFirstByte(Latency.millis(10))
                .stallWhen(text -> text.equals("stall")).failWhen(text -> text.equals("fail")).build();
        tts.synthesize("stall", ttsListener());
        tts.synthesize("fail", ttsListener());
        clock.advance(Duration.ofSeconds(5));
        assertThat(got).containsExactly("10 error scripted failure");
        assertThat(tts.openSyntheses()).isEqualTo(1);
    }

    @Test
    void closedSynthesisSendsNothingMore() {
        FakeTextToSpeech tts = FakeTextToSpeech.builder(clock).build();
        tts.synthesize("Hello.", ttsListener()).close();
        clock.advance(Duration.ofSeconds(1));
        assertThat(got).isEmpty();
        assertThat(tts.openSyntheses()).isZero();
    }

    // ---- tools and VAD

    @Test
    void toolsAnswerAfterTheirLatencyAndCountCancellations() {
        ToolDefinition slow = new ToolDefinition("slow", "", "{}");
        ToolDefinition never = new ToolDefinition("never", "", "{}");
        FakeToolExecutor tools = FakeToolExecutor.builder(clock)
                .tool(slow, Latency.millis(100), args -> ToolResult.ok("got " + args))
                .silentTool(never).build();

        CompletableFuture<ToolResult> answered = tools.execute(new ToolCall("1", "slow", "{\"a\":1}"));
        CompletableFuture<ToolResult> silent = tools.execute(new ToolCall("2", "never", "{}"));
        CompletableFuture<ToolResult> unknown = tools.execute(new ToolCall("3", "nope", "{}"));
        assertThat(tools.pendingCalls()).isEqualTo(2);
        clock.advance(Duration.ofMillis(100));

        assertThat(answered.join()).isEqualTo(ToolResult.ok("got {\"a\":1}"));
        assertThat(unknown.join().error()).isTrue();
        assertThat(silent).isNotDone();
        silent.cancel(true);
        assertThat(tools.pendingCalls()).isZero();
        assertThat(tools.cancelledCalls()).isEqualTo(1);
        assertThat(tools.calls()).extracting(ToolCall::id).containsExactly("1", "2", "3");
        assertThat(tools.definitions()).containsExactlyInAnyOrder(slow, never);
    }

    @Test
    void toolThatThrowsFailsItsFuture() {
        FakeToolExecutor tools = FakeToolExecutor.builder(clock).tool(new ToolDefinition("bad", "", "{}"),
                Latency.millis(0), args -> {
                    throw new IllegalArgumentException("bad args");
                }).build();
        CompletableFuture<ToolResult> future = tools.execute(new ToolCall("1", "bad", "{}"));
        clock.runDueTasks();
        assertThat(future).isCompletedExceptionally();
    }

    @Test
    void scriptedVadHearsSpeechInAnyNonZeroSample() {
        FakeVoiceActivityDetector vad = new FakeVoiceActivityDetector(4);
        short[] samples = {0, 0, 0, 0, 0, 0, 7, 0};
        assertThat(vad.speechProbability(samples, 0)).isZero();
        assertThat(vad.speechProbability(samples, 4)).isEqualTo(1f);
        vad.close();
        assertThat(vad.isClosed()).isTrue();
    }
}
