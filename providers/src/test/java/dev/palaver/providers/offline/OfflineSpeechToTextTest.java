package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.providers.speechtest.RecordingRecognitionListener;
import dev.palaver.providers.speechtest.Threads;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pocketsphinx through the streaming recognition SPI, fed flite speech in 20 ms frames. */
class OfflineSpeechToTextTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SENTENCE = "What are your opening hours on Saturday?";
    private static PocketsphinxRecognizer recognizer;
    private static short[] spoken;

    @BeforeAll
    static void load() {
        recognizer = DebianSpeech.pocketsphinx();
        spoken = DebianSpeech.flite().synthesize(SENTENCE);
    }

    @AfterAll
    static void close() {
        recognizer.close();
    }

    private static int push(SpeechToText.Stream stream, short[] audio) {
        int frames = 0;
        for (int at = 0; at < audio.length; at += AudioFormat.SAMPLES_PER_FRAME) {
            stream.push(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + AudioFormat.SAMPLES_PER_FRAME)));
            frames++;
        }
        return frames;
    }

    @Test
    void aFliteSentencePushedInTwentyMillisecondFramesIsRecognized() throws Exception {
        try (OfflineSpeechToText stt = new OfflineSpeechToText(recognizer)) {
            RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
            SpeechToText.Stream stream = stt.open(listener);
            int frames = push(stream, spoken);
            stream.endOfSpeech();

            assertThat(listener.awaitEvent("flushed:", WAIT)).isTrue();
            String text = listener.events().getLast().substring("flushed:".length());
            WordErrorRate wer = new WordErrorRate();
            wer.add(SENTENCE, text);
            assertThat(wer.rate()).as("heard \"%s\"", text).isLessThanOrEqualTo(0.2);
            assertThat(text).as("the same as recognizing the whole clip at once").isEqualTo(recognizer.recognize(spoken));
            long partials = listener.count("partial:");
            // At most one partial per 300 ms of audio, and some while the sentence was going on.
            assertThat(partials).isPositive().isLessThanOrEqualTo(frames * 20L / OfflineSpeechToText.PARTIAL_EVERY_MILLIS);
            assertThat(listener.events()).filteredOn(e -> e.startsWith("flushed:")).hasSize(1);
            stream.close();
        }
    }

    @Test
    void anEndOfSpeechWithNothingSaidIsAnEmptyFlushedFinalAndUtterancesFollowEachOther() throws Exception {
        try (OfflineSpeechToText stt = new OfflineSpeechToText(recognizer)) {
            RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
            SpeechToText.Stream stream = stt.open(listener);
            stream.endOfSpeech();
            push(stream, spoken);
            stream.endOfSpeech();

            assertThat(listener.awaitEvents("flushed:", 2, WAIT)).isTrue();
            assertThat(listener.events()).filteredOn(e -> e.startsWith("flushed:")).first().isEqualTo("flushed:");
            assertThat(listener.events().getLast()).contains("saturday");
            stream.close();
        }
    }

    @Test
    void closingMidUtteranceSilencesTheListenerAndEndsTheWorker() throws Exception {
        OfflineSpeechToText stt = new OfflineSpeechToText(recognizer);
        RecordingRecognitionListener listener = RecordingRecognitionListener.classified();
        SpeechToText.Stream stream = stt.open(listener);
        push(stream, spoken);
        stream.close();
        listener.markClosed();
        stream.endOfSpeech();

        assertThat(stt.openStreams()).isZero();
        stt.close();
        assertThat(Threads.awaitNone("palaver-offline-stt", WAIT)).isTrue();
        assertThat(listener.eventsAfterClose()).isEmpty();
    }
}
