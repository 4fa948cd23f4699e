package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pure-Java fallback, with the voices from the FreeTTS jar. */
class FreeTtsSynthesizerTest {
    private static final String SENTENCE = "What are your opening hours on Saturday?";
    private static FreeTtsSynthesizer freeTts;

    @BeforeAll
    static void load() {
        freeTts = FreeTtsSynthesizer.load();
    }

    @AfterAll
    static void close() {
        freeTts.close();
    }

    @Test
    void sentenceBecomesAudibleSixteenKilohertzSpeechOfPlausibleLength() {
        short[] speech = freeTts.synthesize(SENTENCE);
        assertThat(Speech.seconds(speech)).isBetween(1.5, 4.5);
        assertThat(Speech.rms(speech)).isGreaterThan(500);
    }

    @Test
    void eightKilohertzVoiceIsResampledToSixteen() {
        double kevin16 = Speech.seconds(freeTts.synthesize(SENTENCE, "kevin16"));
        short[] kevin = freeTts.synthesize(SENTENCE, "kevin");
        assertThat(Speech.seconds(kevin) / kevin16).isBetween(0.9, 1.1);
        assertThat(Speech.rms(kevin)).isGreaterThan(500);
    }

    @Test
    void eachCallReturnsOnlyItsOwnSentence() {
        short[] first = freeTts.synthesize(SENTENCE);
        short[] second = freeTts.synthesize(SENTENCE);
        Speech.assertSameAudio(second, first);
        short[] shorter = freeTts.synthesize("Goodbye.");
        assertThat(shorter.length).isLessThan(first.length / 2);
    }

    @Test
    void blankTextGivesNoAudio() {
        assertThat(freeTts.synthesize("  ")).isEmpty();
    }

    @Test
    void rejectsTextLongerThanTheBoundAndUnknownVoices() {
        assertThatThrownBy(() -> freeTts.synthesize("a".repeat(SynthesisText.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> freeTts.synthesize(SENTENCE, "slt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kevin16");
    }

    @Test
    void closedSynthesizerRefusesWork() {
        FreeTtsSynthesizer closed = FreeTtsSynthesizer.load();
        closed.close();
        closed.close();
        assertThatThrownBy(() -> closed.synthesize(SENTENCE)).isInstanceOf(IllegalStateException.class);
    }
}
