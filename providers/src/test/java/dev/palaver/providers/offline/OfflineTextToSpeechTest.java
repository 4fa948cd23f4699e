package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ProviderFailure.Kind;
import dev.palaver.providers.speechtest.RecordingSynthesisListener;
import dev.palaver.providers.speechtest.Threads;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** flite (via {@link OfflineSpeech}) through the streaming synthesis SPI. */
class OfflineTextToSpeechTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static OfflineSpeech speech;

    @BeforeAll
    static void load() {
        DebianSpeech.requireInstalled();
        speech = OfflineSpeech.open();
    }

    @AfterAll
    static void close() {
        speech.close();
    }

    @Test
    void fliteSpeaksThroughTheSpiInTwentyMillisecondChunksThenIsDone() throws Exception {
        try (OfflineTextToSpeech tts = new OfflineTextToSpeech(speech, "slt")) {
            RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
            tts.synthesize("Your appointment is on Tuesday at ten.", listener);

            assertThat(listener.awaitEnd(WAIT)).isTrue();
            assertThat(listener.events()).last().isEqualTo("done");
            assertThat(listener.events()).filteredOn("audio"::equals).hasSizeGreaterThan(50);
            assertThat(listener.audio()).isEqualTo(speech.synthesize("Your appointment is on Tuesday at ten.", "slt"));
            assertThat(listener.chunks()).isEqualTo(
                    (listener.audio().length + AudioFormat.SAMPLES_PER_FRAME - 1) / AudioFormat.SAMPLES_PER_FRAME);
        }
    }

    @Test
    void blankTextIsDoneWithoutAudio() throws Exception {
        try (OfflineTextToSpeech tts = new OfflineTextToSpeech(speech, null)) {
            RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
            tts.synthesize("  ", listener);
            assertThat(listener.awaitEnd(WAIT)).isTrue();
            assertThat(listener.events()).containsExactly("done");
        }
    }

    @Test
    void textOverTheEnginesLimitIsARejectedRequest() throws Exception {
        try (OfflineTextToSpeech tts = new OfflineTextToSpeech(speech, null)) {
            RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
            tts.synthesize("a".repeat(OfflineSpeech.MAX_TEXT_LENGTH + 1), listener);
            assertThat(listener.awaitEnd(WAIT)).isTrue();
            assertThat(listener.events()).containsExactly("failure");
            assertThat(listener.failure().kind()).isEqualTo(Kind.BAD_REQUEST);
        }
    }

    @Test
    void closingFromTheListenerStopsTheChunksAndTheProviderLeavesNoThread() throws Exception {
        OfflineTextToSpeech tts = new OfflineTextToSpeech(speech, "slt");
        TextToSpeech.Synthesis[] synthesis = new TextToSpeech.Synthesis[1];
        CountDownLatch started = new CountDownLatch(1);
        RecordingSynthesisListener listener = new RecordingSynthesisListener() {
            @Override
            public void onAudio(short[] pcm) {
                super.onAudio(pcm);
                try {
                    started.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synthesis[0].close();
                markClosed();
            }
        };
        synthesis[0] = tts.synthesize("Please leave your name and phone number after the tone.", listener);
        started.countDown();

        assertThat(listener.awaitAudio(WAIT)).isTrue();
        tts.close();
        assertThat(listener.events()).containsExactly("audio");
        assertThat(listener.eventsAfterClose()).isEmpty();
        assertThat(tts.inFlight()).isZero();
        assertThat(Threads.awaitNone("palaver-offline-tts", WAIT)).isTrue();
        assertThatThrownBy(() -> tts.synthesize("Hello.", listener)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unknownVoicesAreRefused() {
        assertThatThrownBy(() -> new OfflineTextToSpeech(speech, "hal9000")).isInstanceOf(IllegalArgumentException.class);
    }
}
