package dev.palaver.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.deepgram.DeepgramSpeechToText;
import dev.palaver.providers.elevenlabs.ElevenLabsTextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.openai.OpenAiCompatibleConfig;
import dev.palaver.providers.openai.OpenAiCompatibleLanguageModel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake providers answer Palaver's own provider clients, with the delays they are given. */
class FakeProvidersTest {

    static final FakeDelays DELAYS = new FakeDelays(Duration.ofMillis(150), Duration.ofMillis(300),
            Duration.ofMillis(200), Duration.ofMillis(5), Duration.ofMillis(100), 40, 0);

    static FakeProviders fakes;
    static SystemScheduler scheduler;

    @BeforeAll
    static void start() throws Exception {
        fakes = new FakeProviders(0, 0, DELAYS);
        scheduler = new SystemScheduler();
    }

    @AfterAll
    static void stop() throws Exception {
        fakes.close();
        scheduler.close();
    }

    @Test
    void deepgramGivesWordsDuringSpeechAndTheFinalAFixedDelayAfterDigitalSilence() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        AtomicLong finalAt = new AtomicLong();
        try (DeepgramSpeechToText stt = DeepgramSpeechToText.builder(ApiKey.of("k"), scheduler)
                .baseUrl(URI.create(fakes.sttUrl())).build()) {
            SpeechToText.Stream stream = stt.open(new SpeechToText.Listener() {
                @Override
                public void onPartial(String text) {
                    events.add("partial:" + text);
                }

                @Override
                public void onFinal(String text, boolean flushed) {
                    finalAt.set(System.nanoTime());
                    events.add("final:" + flushed + ":" + text);
                }

                @Override
                public void onError(String message) {
                    events.add("error:" + message);
                }
            });
            short[] loud = new short[320];
            for (int i = 0; i < loud.length; i++) {
                loud[i] = (short) (i % 2 == 0 ? 5000 : -5000);
            }
            for (int i = 0; i < 20; i++) {
                stream.push(loud);
            }
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("partial:" + FakeProviders.TRANSCRIPTS.get(1));
            long silenceAt = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                stream.push(new short[320]);
            }
            String fin = events.poll(5, TimeUnit.SECONDS);
            assertThat(fin).isEqualTo("final:false:" + FakeProviders.TRANSCRIPTS.get(1));
            assertThat((finalAt.get() - silenceAt) / 1e6).isBetween(150.0, 400.0);
            // A Finalize with nothing left to flush is answered at once with an empty flushed final.
            stream.endOfSpeech();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("final:true:");
            stream.close();
        }
    }

    @Test
    void openAiStreamsAWholeSentenceFirstAfterTheTimeToFirstToken() throws Exception {
        List<String> deltas = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong firstAt = new AtomicLong();
        OpenAiCompatibleLanguageModel llm = new OpenAiCompatibleLanguageModel(OpenAiCompatibleConfig
                .builder(URI.create(fakes.httpUrl() + "/v1"), "gpt-fake").name("openai").apiKey("k").build());
        long start = System.nanoTime();
        llm.stream(new LlmRequest(List.of(new UserMessage("Hello")), List.of()), new LanguageModel.Listener() {
            @Override
            public void onText(String delta) {
                firstAt.compareAndSet(0, System.nanoTime());
                deltas.add(delta);
            }

            @Override
            public void onToolCall(ToolCall call) {
                deltas.add("tool call?");
            }

            @Override
            public void onDone() {
                done.countDown();
            }

            @Override
            public void onError(String message) {
                deltas.add("error: " + message);
                done.countDown();
            }
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(deltas.getFirst()).isEqualTo(FakeHttpProviders.FIRST_SENTENCE);
        assertThat(String.join("", deltas)).isEqualTo(FakeHttpProviders.FIRST_SENTENCE + FakeHttpProviders.REST);
        assertThat((firstAt.get() - start) / 1e6).isBetween(200.0, 1_000.0);
    }

    @Test
    void elevenLabsStreamsPcmAfterTheTimeToFirstByte() throws Exception {
        AtomicLong samples = new AtomicLong();
        AtomicLong firstAt = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        List<String> errors = new CopyOnWriteArrayList<>();
        try (ElevenLabsTextToSpeech tts = ElevenLabsTextToSpeech.builder(ApiKey.of("k"), "voice", scheduler)
                .baseUrl(URI.create(fakes.httpUrl())).build()) {
            long start = System.nanoTime();
            tts.synthesize("Sure, I can help you.", new TextToSpeech.Listener() {
                @Override
                public void onAudio(short[] pcm) {
                    firstAt.compareAndSet(0, System.nanoTime());
                    samples.addAndGet(pcm.length);
                }

                @Override
                public void onDone() {
                    done.countDown();
                }

                @Override
                public void onError(String message) {
                    errors.add(message);
                    done.countDown();
                }
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(errors).isEmpty();
            assertThat((firstAt.get() - start) / 1e6).isBetween(100.0, 1_000.0);
            // 40 ms of audio per character at 16 kHz.
            assertThat(samples.get()).isEqualTo("Sure, I can help you.".length() * 40L * 16);
        }
    }
}
