package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordErrorRateTest {
    @Test
    void wordsAreLowerCaseWithoutPunctuation() {
        assertThat(WordErrorRate.words("Hello, World! Is it you're-turn?"))
                .containsExactly("hello", "world", "is", "it", "you're", "turn");
        assertThat(WordErrorRate.words("'quoted' o'clock")).containsExactly("quoted", "o'clock");
    }

    @Test
    void numbersAreSpelledOut() {
        assertThat(WordErrorRate.words("Open 9 to 5")).containsExactly("open", "nine", "to", "five");
        assertThat(WordErrorRate.words("9:30")).containsExactly("nine", "thirty");
        assertThat(WordErrorRate.words("at 10am")).containsExactly("at", "ten", "am");
        assertThat(WordErrorRate.words("115")).containsExactly("one", "hundred", "fifteen");
        assertThat(WordErrorRate.words("2024")).containsExactly("two", "thousand", "twenty", "four");
        assertThat(WordErrorRate.words("0")).containsExactly("zero");
        assertThat(WordErrorRate.words("555123456")).hasSize(9).startsWith("five", "five", "five", "one");
        assertThat(WordErrorRate.words("007")).containsExactly("zero", "zero", "seven");
    }

    @Test
    void ordinalsAreSpelledAsOrdinals() {
        assertThat(WordErrorRate.words("1st 2nd 3rd 4th 5th 12th 20th 21st 99th"))
                .containsExactly("first", "second", "third", "fourth", "fifth", "twelfth", "twentieth",
                        "twenty", "first", "ninety", "ninth");
    }

    @Test
    void distanceCountsSubstitutionsDeletionsAndInsertions() {
        List<String> reference = List.of("a", "b", "c", "d");
        assertThat(WordErrorRate.distance(reference, reference)).isZero();
        assertThat(WordErrorRate.distance(reference, List.of("a", "x", "c", "d"))).isEqualTo(1);
        assertThat(WordErrorRate.distance(reference, List.of("a", "c", "d"))).isEqualTo(1);
        assertThat(WordErrorRate.distance(reference, List.of("a", "b", "y", "c", "d"))).isEqualTo(1);
        assertThat(WordErrorRate.distance(reference, List.of())).isEqualTo(4);
        assertThat(WordErrorRate.distance(List.of(), List.of("x", "y"))).isEqualTo(2);
        assertThat(WordErrorRate.distance(List.of("a", "b"), List.of("b", "a"))).isEqualTo(2);
    }

    @Test
    void rateIsTotalErrorsOverTotalReferenceWords() {
        WordErrorRate wer = new WordErrorRate();
        assertThat(wer.rate()).isZero();
        assertThat(wer.add("We open at 9.", "we open at nine")).isZero();
        assertThat(wer.add("Book a table for two", "book a cable for")).isEqualTo(2);
        assertThat(wer.errors()).isEqualTo(2);
        assertThat(wer.referenceWords()).isEqualTo(9);
        assertThat(wer.rate()).isEqualTo(2.0 / 9);
    }
}
