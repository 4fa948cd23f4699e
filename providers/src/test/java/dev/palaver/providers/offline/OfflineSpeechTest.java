package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.audio.Resampler;
import dev.palaver.providers.offline.OfflineSpeechStatus.Capability;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Engine selection and fallback, against the real Debian libraries and deliberately missing ones. */
class OfflineSpeechTest {
    private static final String SENTENCE = "What are your opening hours on Saturday";
    private static final String HEARD = "what are your opening hours on saturday";
    private static OfflineSpeech speech;

    @BeforeAll
    static void open() {
        DebianSpeech.requireInstalled();
        speech = OfflineSpeech.open();
    }

    @AfterAll
    static void close() {
        speech.close();
    }

    @Test
    void withTheDebianPackagesNothingIsDegraded() {
        assertThat(speech.status()).containsExactly(
                new OfflineSpeechStatus(Capability.TEXT_TO_SPEECH, "flite", false, "", ""),
                new OfflineSpeechStatus(Capability.SPEECH_TO_TEXT, "pocketsphinx", false, "", ""));
        assertThat(speech.textToSpeech().summary()).isEqualTo("offline text-to-speech runs on flite");
        assertThat(speech.defaultVoice()).isEqualTo("slt");
        assertThat(speech.recognizer()).isPresent();
    }

    @Test
    void speechRoundTripsThroughFliteAndPocketsphinx() {
        assertThat(speech.recognize(speech.synthesize(SENTENCE))).isEqualTo(HEARD);
        assertThat(speech.recognize(speech.synthesize(SENTENCE, "kal16"))).isEqualTo(HEARD);
    }

    @Test
    void defaultVoiceIsFlitesDefault() {
        Speech.assertSameAudio(speech.synthesize(SENTENCE), DebianSpeech.flite().synthesize(SENTENCE));
        Speech.assertSameAudio(speech.synthesize(SENTENCE, null), DebianSpeech.flite().synthesize(SENTENCE));
    }

    @Test
    void freeTtsVoicesAreAvailableBesideFlite() {
        assertThat(speech.voices()).contains("slt", "kal16", "kevin16");
        short[] kevin = speech.synthesize(SENTENCE, "kevin16");
        try (FreeTtsSynthesizer freeTts = FreeTtsSynthesizer.load()) {
            Speech.assertSameAudio(kevin, freeTts.synthesize(SENTENCE));
        }
        assertThat(speech.recognize(kevin)).isEqualTo(HEARD);
    }

    @Test
    void unknownVoiceIsRejectedWithTheVoicesThereAre() {
        assertThatThrownBy(() -> speech.synthesize(SENTENCE, "hal9000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slt")
                .hasMessageContaining("kevin16");
    }

    @Test
    void textBeyondTheBoundIsRejectedByEitherEngine() {
        String tooLong = "a".repeat(OfflineSpeech.MAX_TEXT_LENGTH + 1);
        assertThatThrownBy(() -> speech.synthesize(tooLong)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> speech.synthesize(tooLong, "kevin16")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void audioAtOtherRatesIsConvertedBeforeRecognition() {
        short[] wideband = speech.synthesize(SENTENCE);
        short[] browser = Resampler.convert(wideband, 16_000, 48_000);
        assertThat(speech.recognize(browser, 48_000)).isEqualTo(HEARD);
        assertThat(speech.recognize(wideband, 16_000)).isEqualTo(HEARD);
    }

    @Test
    void missingFliteFallsBackToFreeTtsAndSaysWhatToInstall() {
        OfflineSpeech.Settings settings = OfflineSpeech.Settings.defaults().withFliteLibrary("libflite-not-installed.so.1");
        try (OfflineSpeech degraded = OfflineSpeech.open(settings)) {
            OfflineSpeechStatus status = degraded.textToSpeech();
            assertThat(status.capability()).isEqualTo(Capability.TEXT_TO_SPEECH);
            assertThat(status.engine()).isEqualTo("freetts");
            assertThat(status.degraded()).isTrue();
            assertThat(status.installCommand()).isEqualTo("apt-get install -y libflite1");
            assertThat(status.problem()).contains("libflite-not-installed.so.1");
            assertThat(status.summary()).isEqualTo("offline text-to-speech runs degraded on freetts: " + status.problem()
                    + "; install with: apt-get install -y libflite1");
            assertThat(degraded.speechToText().degraded()).isFalse();
            assertThat(degraded.defaultVoice()).isEqualTo("kevin16");

            short[] spoken = degraded.synthesize(SENTENCE);
            assertThat(degraded.recognize(spoken)).isEqualTo(HEARD);
            // A flite voice asked for by name is spoken by FreeTTS too: the capability as a whole is degraded.
            Speech.assertSameAudio(degraded.synthesize(SENTENCE, "slt"), spoken);
        }
    }

    @Test
    void missingPocketsphinxLeavesRecognitionUnavailableWithTheInstallCommand() {
        OfflineSpeech.Settings settings = OfflineSpeech.Settings.defaults().withRecognizer(
                PocketsphinxRecognizer.Settings.defaults().withLibrary("libpocketsphinx-not-installed.so.3"));
        try (OfflineSpeech degraded = OfflineSpeech.open(settings)) {
            OfflineSpeechStatus status = degraded.speechToText();
            assertThat(status.engine()).isEqualTo(OfflineSpeechStatus.NO_ENGINE);
            assertThat(status.degraded()).isTrue();
            assertThat(status.installCommand()).isEqualTo("apt-get install -y libpocketsphinx3 pocketsphinx-en-us");
            assertThat(status.summary()).startsWith("offline speech-to-text is unavailable: ");
            assertThat(degraded.recognizer()).isEmpty();
            assertThat(degraded.textToSpeech().degraded()).isFalse();
            assertThatThrownBy(() -> degraded.recognize(new short[160]))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("apt-get install -y libpocketsphinx3 pocketsphinx-en-us");
        }
    }

    @Test
    void closedOfflineSpeechDoesNotLoadFreeTts() {
        OfflineSpeech closed = OfflineSpeech.open();
        closed.close();
        assertThatThrownBy(() -> closed.synthesize(SENTENCE, "kevin16")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> closed.recognize(new short[160])).isInstanceOf(IllegalStateException.class);
    }
}
