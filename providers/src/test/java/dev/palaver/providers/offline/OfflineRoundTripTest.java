package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.Resampler;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offline acceptance figure: twenty front-desk sentences synthesized, then recognized one by one as
 * independent utterances, scored by word error rate. Prints the figure, every miss, and the real-time
 * factors measured on the way (not asserted).
 */
class OfflineRoundTripTest {
    private static final double MAX_WORD_ERROR_RATE = 0.20;
    private static PocketsphinxRecognizer recognizer;

    @BeforeAll
    static void load() {
        recognizer = DebianSpeech.pocketsphinx();
    }

    @AfterAll
    static void close() {
        recognizer.close();
    }

    @Test
    void fliteSentencesAreRecognizedWithAtMostTwentyPercentWordErrors() {
        FliteSynthesizer flite = DebianSpeech.flite();
        double rate = roundTrip("flite " + FliteSynthesizer.DEFAULT_VOICE, flite::synthesize);
        assertThat(rate).isLessThanOrEqualTo(MAX_WORD_ERROR_RATE);
    }

    @Test
    void freeTtsSentencesAreRecognizedWithAtMostTwentyPercentWordErrors() {
        try (FreeTtsSynthesizer freeTts = FreeTtsSynthesizer.load()) {
            double rate = roundTrip("FreeTTS " + FreeTtsSynthesizer.DEFAULT_VOICE, freeTts::synthesize);
            assertThat(rate).isLessThanOrEqualTo(MAX_WORD_ERROR_RATE);
        }
    }

    @Test
    void telephoneBandSpeechNeedsChannelAdaptation() {
        FliteSynthesizer flite = DebianSpeech.flite();
        Function<String, short[]> telephone = text -> Resampler.convert(
                Resampler.convert(flite.synthesize(text), 16_000, 8_000), 8_000, 16_000);
        double independent = roundTrip("flite slt through 8 kHz, independent utterances", telephone);
        PocketsphinxChannel channel = recognizer.newChannel();
        double adapted = roundTrip("flite slt through 8 kHz, one channel", telephone, channel::recognize);
        assertThat(adapted).isLessThan(independent / 2);
    }

    private static double roundTrip(String engine, Function<String, short[]> synthesize) {
        return roundTrip(engine, synthesize, recognizer::recognize);
    }

    private static double roundTrip(String engine, Function<String, short[]> synthesize,
                                    Function<short[], String> recognize) {
        WordErrorRate wer = new WordErrorRate();
        double audioSeconds = 0;
        long synthesisNanos = 0;
        long recognitionNanos = 0;
        StringBuilder misses = new StringBuilder();
        for (String sentence : ReceptionistSentences.ALL) {
            long start = System.nanoTime();
            short[] audio = synthesize.apply(sentence);
            long synthesized = System.nanoTime();
            String heard = recognize.apply(audio);
            recognitionNanos += System.nanoTime() - synthesized;
            synthesisNanos += synthesized - start;
            audioSeconds += Speech.seconds(audio);
            int errors = wer.add(sentence, heard);
            if (errors > 0) {
                misses.append(String.format(Locale.ROOT, "  %d error(s): \"%s\" heard as \"%s\"%n", errors, sentence, heard));
            }
        }
        System.out.printf(Locale.ROOT, "%s -> pocketsphinx: WER %.1f%% (%d errors / %d words over %d sentences)%n%s",
                engine, 100 * wer.rate(), wer.errors(), wer.referenceWords(), ReceptionistSentences.ALL.size(), misses);
        System.out.printf(Locale.ROOT, "%s: %.1f s of audio; real-time factor: synthesis %.3f, recognition %.3f%n",
                engine, audioSeconds, synthesisNanos / 1e9 / audioSeconds, recognitionNanos / 1e9 / audioSeconds);
        return wer.rate();
    }
}
