package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against Debian's libflite1, in-process. */
class FliteSynthesizerTest {
    private static final String SENTENCE = "What are your opening hours on Saturday?";
    private static FliteSynthesizer flite;

    @BeforeAll
    static void load() {
        flite = DebianSpeech.flite();
    }

    @Test
    void sentenceBecomesAudibleSixteenKilohertzSpeechOfPlausibleLength() {
        short[] speech = flite.synthesize(SENTENCE);
        // Seven words at an ordinary speaking rate: two to three seconds.
        assertThat(Speech.seconds(speech)).isBetween(1.5, 4.5);
        assertThat(Speech.rms(speech)).isGreaterThan(500);
    }

    @Test
    void everyVoiceSpeaksAtSixteenKilohertz() {
        double reference = Speech.seconds(flite.synthesize(SENTENCE, "kal16"));
        for (String voice : flite.voices()) {
            short[] speech = flite.synthesize(SENTENCE, voice);
            // kal speaks at 8 kHz: without resampling its sentence would come out at half the length.
            assertThat(Speech.seconds(speech) / reference).as(voice).isBetween(0.75, 1.35);
            assertThat(Speech.rms(speech)).as(voice).isGreaterThan(500);
        }
    }

    @Test
    void longerTextTakesLonger() {
        double sentence = Speech.seconds(flite.synthesize(SENTENCE));
        double twice = Speech.seconds(flite.synthesize(SENTENCE + " " + SENTENCE));
        assertThat(twice / sentence).isBetween(1.7, 2.3);
    }

    @Test
    void synthesisIsRepeatableWithEveryVoice() {
        for (String voice : flite.voices()) {
            short[] first = flite.synthesize(SENTENCE, voice);
            flite.synthesize("Something else in between.", voice);
            Speech.assertSameAudio(flite.synthesize(SENTENCE, voice), first);
        }
    }

    @Test
    void accentedLettersAreSpokenAsTheirBaseLetters() {
        Speech.assertSameAudio(flite.synthesize("The café is naïve"), flite.synthesize("The cafe is naive"));
    }

    @Test
    void blankTextGivesNoAudio() {
        assertThat(flite.synthesize("")).isEmpty();
        assertThat(flite.synthesize(" \n\t")).isEmpty();
        assertThat(flite.synthesize("\u0001\u2028")).isEmpty();
    }

    @Test
    void rejectsTextLongerThanTheBoundAndUnknownVoices() {
        assertThatThrownBy(() -> flite.synthesize("a".repeat(SynthesisText.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(SynthesisText.MAX_LENGTH));
        assertThat(flite.synthesize("a ".repeat(SynthesisText.MAX_LENGTH / 2))).isNotEmpty();
        assertThatThrownBy(() -> flite.synthesize(SENTENCE, "kevin16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slt");
    }

    @Test
    void concurrentCallersEachGetTheirOwnSentence() throws Exception {
        List<String> texts = List.of(SENTENCE, "Please hold the line.", "Goodbye.", "We open at nine.");
        List<short[]> expected = texts.stream().map(flite::synthesize).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<short[]>> results = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String text : texts) {
                    results.add(pool.submit(() -> flite.synthesize(text)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                Speech.assertSameAudio(results.get(i).get(), expected.get(i % texts.size()));
            }
        }
    }

    @Test
    void aSecondInstanceSharesTheProcessWideLibrary() {
        FliteSynthesizer second = DebianSpeech.flite();
        Speech.assertSameAudio(second.synthesize(SENTENCE), flite.synthesize(SENTENCE));
    }

    @Test
    void missingLibraryNamesThePackageToInstall() {
        assertThatThrownBy(() -> FliteSynthesizer.load("libflite-not-installed.so.1",
                FliteSynthesizer.VOICE_LIBRARY_PATTERN))
                .isInstanceOfSatisfying(EngineUnavailableException.class, e -> {
                    assertThat(e.installCommand()).isEqualTo("apt-get install -y libflite1");
                    assertThat(e.problem()).contains("libflite-not-installed.so.1");
                    assertThat(e.getMessage()).endsWith("install with: apt-get install -y libflite1");
                });
    }

    @Test
    void missingDefaultVoiceLibraryFailsAtLoad() {
        assertThatThrownBy(() -> FliteSynthesizer.load(FliteSynthesizer.LIBRARY, "libflite_cmu_us_%s_missing.so.1"))
                .isInstanceOfSatisfying(EngineUnavailableException.class, e ->
                        assertThat(e.problem()).contains("libflite_cmu_us_slt_missing.so.1"));
    }
}
