package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Resampler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against Debian's libpocketsphinx3 and en-us model, on speech from flite. */
class PocketsphinxRecognizerTest {
    private static final String SENTENCE = "What are your opening hours on Saturday";
    private static final String OTHER = "The doctor is available on Monday and Wednesday";
    private static FliteSynthesizer flite;
    private static PocketsphinxRecognizer recognizer;
    private static short[] speech;

    @BeforeAll
    static void load() {
        flite = DebianSpeech.flite();
        recognizer = DebianSpeech.pocketsphinx();
        speech = flite.synthesize(SENTENCE);
    }

    @AfterAll
    static void close() {
        recognizer.close();
    }

    /** What a phone line leaves of it: the 4 kHz band, back at 16 kHz. */
    private static short[] telephoneBand(short[] wideband) {
        return Resampler.convert(Resampler.convert(wideband, 16_000, 8_000), 8_000, 16_000);
    }

    private static PocketsphinxRecognizer.Settings oneDecoder() {
        return PocketsphinxRecognizer.Settings.defaults().withDecoders(1, Duration.ZERO);
    }

    @Test
    void recognizesFliteSpeech() {
        assertThat(recognizer.recognize(speech)).isEqualTo("what are your opening hours on saturday");
        assertThat(recognizer.recognize(flite.synthesize(OTHER)))
                .isEqualTo("the doctor is available on monday and wednesday");
    }

    @Test
    void audioFedInTwentyMillisecondFramesGivesTheSameTranscriptAsOneBuffer() {
        try (PocketsphinxUtterance utterance = recognizer.startUtterance()) {
            for (int at = 0; at < speech.length; at += AudioFormat.SAMPLES_PER_FRAME) {
                utterance.feed(speech, at, Math.min(AudioFormat.SAMPLES_PER_FRAME, speech.length - at));
            }
            assertThat(utterance.samples()).isEqualTo(speech.length);
            assertThat(utterance.finish()).isEqualTo(recognizer.recognize(speech));
        }
    }

    @Test
    void chunksLargerThanTheNativeBufferAreFedWhole() {
        short[] padded = new short[PocketsphinxDecoder.BUFFER_SAMPLES * 3 + speech.length];
        System.arraycopy(speech, 0, padded, PocketsphinxDecoder.BUFFER_SAMPLES * 3, speech.length);
        assertThat(recognizer.recognize(padded)).isEqualTo("what are your opening hours on saturday");
    }

    @Test
    void partialHypothesisGrowsWhileAudioArrives() {
        try (PocketsphinxUtterance utterance = recognizer.startUtterance()) {
            assertThat(utterance.partialHypothesis()).isEmpty();
            utterance.feed(speech);
            assertThat(utterance.partialHypothesis()).startsWith("what are your");
            assertThat(utterance.finish()).isEqualTo("what are your opening hours on saturday");
        }
    }

    @Test
    void offsetAndLengthSelectPartOfTheBuffer() {
        short[] both = new short[speech.length * 2];
        short[] other = flite.synthesize(OTHER);
        System.arraycopy(other, 0, both, 0, Math.min(other.length, speech.length));
        System.arraycopy(speech, 0, both, speech.length, speech.length);
        assertThat(recognizer.recognize(both, speech.length, speech.length))
                .isEqualTo("what are your opening hours on saturday");
    }

    @Test
    void transcriptDoesNotDependOnWhatTheDecoderHeardBefore() {
        short[] calendar = flite.synthesize("Please hold while I check the calendar.");
        String fresh;
        try (PocketsphinxRecognizer first = DebianSpeech.pocketsphinx(oneDecoder())) {
            fresh = first.recognize(calendar);
        }
        try (PocketsphinxRecognizer used = DebianSpeech.pocketsphinx(oneDecoder())) {
            used.recognize(speech);
            used.recognize(flite.synthesize(OTHER));
            assertThat(used.recognize(calendar)).isEqualTo(fresh);
            assertThat(used.recognize(calendar)).isEqualTo(fresh);
        }
    }

    @Test
    void channelsCarryTheirAdaptationAcrossPooledDecodersAndOnlyTheirOwn() {
        short[] calendar = telephoneBand(flite.synthesize("Please hold while I check the calendar."));
        short[] hours = telephoneBand(speech);
        try (PocketsphinxRecognizer single = DebianSpeech.pocketsphinx(oneDecoder())) {
            String independent = single.recognize(hours);
            PocketsphinxChannel first = single.newChannel();
            PocketsphinxChannel second = single.newChannel();
            assertThat(first.recognize(hours)).isEqualTo(independent);
            first.recognize(calendar);
            // Interleaved on the one decoder: each channel sees only its own history.
            assertThat(second.recognize(hours)).isEqualTo(independent);
            String adapted = first.recognize(hours);
            second.recognize(calendar);
            assertThat(second.recognize(hours)).isEqualTo(adapted);
            assertThat(single.recognize(hours)).isEqualTo(independent);
        }
    }

    @Test
    void abandonedUtteranceDoesNotAdaptItsChannel() {
        short[] hours = telephoneBand(speech);
        PocketsphinxChannel channel = recognizer.newChannel();
        try (PocketsphinxUtterance abandoned = channel.startUtterance()) {
            abandoned.feed(telephoneBand(flite.synthesize(OTHER)));
        }
        assertThat(channel.recognize(hours)).isEqualTo(recognizer.recognize(hours));
    }

    @Test
    void silenceGivesAnEmptyTranscript() {
        assertThat(recognizer.recognize(new short[AudioFormat.SAMPLE_RATE])).isEmpty();
        assertThat(recognizer.recognize(new short[0])).isEmpty();
    }

    @Test
    void finishedUtteranceRefusesMoreAudio() {
        PocketsphinxUtterance utterance = recognizer.startUtterance();
        utterance.feed(speech);
        utterance.finish();
        assertThatThrownBy(() -> utterance.feed(speech)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(utterance::finish).isInstanceOf(IllegalStateException.class);
        utterance.close();
    }

    @Test
    void busyDecodersMakeANewUtteranceWaitThenFail() {
        try (PocketsphinxRecognizer single = DebianSpeech.pocketsphinx(oneDecoder())) {
            PocketsphinxUtterance first = single.startUtterance();
            assertThatThrownBy(single::startUtterance)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("busy");
            assertThatThrownBy(() -> single.recognize(speech)).isInstanceOf(IllegalStateException.class);
            first.feed(speech);
            assertThat(first.finish()).isEqualTo("what are your opening hours on saturday");
            assertThat(single.recognize(speech)).isEqualTo("what are your opening hours on saturday");
        }
    }

    @Test
    void abandonedUtteranceLeavesItsDecoderCleanForTheNext() {
        try (PocketsphinxRecognizer single = DebianSpeech.pocketsphinx(oneDecoder())) {
            try (PocketsphinxUtterance abandoned = single.startUtterance()) {
                abandoned.feed(flite.synthesize(OTHER));
            }
            assertThat(single.recognize(speech)).isEqualTo("what are your opening hours on saturday");
        }
    }

    @Test
    void utterancesAreBoundedInLength() {
        Duration limit = Duration.ofSeconds(1);
        try (PocketsphinxRecognizer bounded = DebianSpeech.pocketsphinx(oneDecoder().withMaxUtterance(limit))) {
            assertThatThrownBy(() -> bounded.recognize(new short[AudioFormat.SAMPLE_RATE + 1]))
                    .isInstanceOf(IllegalArgumentException.class);
            try (PocketsphinxUtterance utterance = bounded.startUtterance()) {
                utterance.feed(new short[AudioFormat.SAMPLE_RATE - 100]);
                assertThatThrownBy(() -> utterance.feed(new short[101])).isInstanceOf(IllegalStateException.class);
                utterance.feed(new short[100]);
                assertThat(utterance.samples()).isEqualTo(AudioFormat.SAMPLE_RATE);
            }
            assertThat(bounded.recognize(new short[AudioFormat.SAMPLE_RATE])).isEmpty();
        }
    }

    @Test
    void concurrentUtterancesEachGetTheirOwnTranscript() throws Exception {
        short[] other = flite.synthesize(OTHER);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(pool.submit(() -> recognizer.recognize(speech)));
                results.add(pool.submit(() -> recognizer.recognize(other)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(i % 2 == 0
                        ? "what are your opening hours on saturday"
                        : "the doctor is available on monday and wednesday");
            }
        }
    }

    @Test
    void closedRecognizerRefusesNewUtterancesAndFreesBusyDecodersWhenTheyFinish() {
        PocketsphinxRecognizer closing = DebianSpeech.pocketsphinx(oneDecoder());
        PocketsphinxUtterance running = closing.startUtterance();
        closing.close();
        assertThatThrownBy(closing::startUtterance).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        running.feed(speech);
        assertThat(running.finish()).isEqualTo("what are your opening hours on saturday");
        assertThatThrownBy(() -> closing.recognize(speech)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void missingLibraryNamesThePackagesToInstall() {
        assertThatThrownBy(() -> PocketsphinxRecognizer.load(
                PocketsphinxRecognizer.Settings.defaults().withLibrary("libpocketsphinx-not-installed.so.3")))
                .isInstanceOfSatisfying(EngineUnavailableException.class, e -> {
                    assertThat(e.installCommand()).isEqualTo("apt-get install -y libpocketsphinx3 pocketsphinx-en-us");
                    assertThat(e.problem()).contains("libpocketsphinx-not-installed.so.3");
                });
    }

    @Test
    void missingModelNamesThePackagesToInstall(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertThatThrownBy(() -> PocketsphinxRecognizer.load(
                PocketsphinxRecognizer.Settings.defaults().withModelDirectory(empty)))
                .isInstanceOfSatisfying(EngineUnavailableException.class, e -> {
                    assertThat(e.installCommand()).contains("pocketsphinx-en-us");
                    assertThat(e.problem()).contains(empty.toString());
                });
    }

    @Test
    void settingsRejectImpossibleValues() {
        PocketsphinxRecognizer.Settings defaults = PocketsphinxRecognizer.Settings.defaults();
        assertThatThrownBy(() -> defaults.withDecoders(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withDecoders(1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxUtterance(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
