package dev.palaver.media.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextChunkerTest {

    private static List<String> chunkWhole(String text) {
        TextChunker chunker = new TextChunker();
        List<String> out = new ArrayList<>(chunker.push(text));
        out.addAll(chunker.flush());
        return out;
    }

    private static List<String> chunkByCharacter(String text) {
        TextChunker chunker = new TextChunker();
        List<String> out = new ArrayList<>();
        for (char c : text.toCharArray()) {
            out.addAll(chunker.push(String.valueOf(c)));
        }
        out.addAll(chunker.flush());
        return out;
    }

    @Test
    void aSentenceThatEndsTheTextSoFarIsCutAtOnceWhenItsEndIsUnambiguous() {
        TextChunker chunker = new TextChunker();
        assertThat(chunker.push("Hello there.")).containsExactly("Hello there.");
        assertThat(chunker.push(" How are")).isEmpty();
        assertThat(chunker.push(" you?")).containsExactly("How are you?");
        assertThat(chunker.push(" Great!")).containsExactly("Great!");
        assertThat(chunker.flush()).isEmpty();
        assertThat(chunker.pendingLength()).isZero();
    }

    @Test
    void anAmbiguousEndAtTheEndOfTheTextWaitsForTheNextCharacter() {
        for (String held : List.of("It costs 3.", "Ask Dr.", "Signed J.", "Pens, paper, etc.", "We open at 9 a.m.",
                "He said \"stop.", "Bring a pen (a blue one.", "Well..", "Call us \u201cany time.")) {
            TextChunker chunker = new TextChunker();
            assertThat(chunker.push(held)).as(held).isEmpty();
            assertThat(chunker.pendingLength()).as(held).isEqualTo(held.length());
        }
    }

    @Test
    void aCompleteQuotationOrEllipsisAtTheEndIsCutAtOnce() {
        assertThat(new TextChunker().push("He said \"stop.\"")).containsExactly("He said \"stop.\"");
        assertThat(new TextChunker().push("Well...")).containsExactly("Well...");
    }

    @Test
    void punctuationArrivingAfterAnEarlyCutIsDropped() {
        TextChunker chunker = new TextChunker();
        assertThat(chunker.push("Well.")).containsExactly("Well.");
        assertThat(chunker.push("..")).isEmpty();
        assertThat(chunker.push(" let me see.")).containsExactly("let me see.");
        assertThat(chunker.push(" Yes")).isEmpty();
        assertThat(chunker.flush()).containsExactly("Yes");
    }

    @Test
    void questionsAndExclamationsEndSentences() {
        assertThat(chunkWhole("Really? Yes! Good.")).containsExactly("Really?", "Yes!", "Good.");
    }

    @Test
    void titlesAndCommonAbbreviationsDoNotEndSentences() {
        assertThat(chunkWhole("Dr. Smith and Mrs. Jones will see you. Bring a pen, e.g. a blue one. Thanks."))
                .containsExactly("Dr. Smith and Mrs. Jones will see you.", "Bring a pen, e.g. a blue one.", "Thanks.");
    }

    @Test
    void initialsDoNotEndSentences() {
        assertThat(chunkWhole("J. R. Smith called. He left.")).containsExactly("J. R. Smith called.", "He left.");
    }

    @Test
    void ambiguousAbbreviationsEndASentenceOnlyBeforeACapital() {
        assertThat(chunkWhole("We open at 9 a.m. every day. Bring pens, paper, etc. Then come in."))
                .containsExactly("We open at 9 a.m. every day.", "Bring pens, paper, etc.", "Then come in.");
    }

    @Test
    void decimalsAndTimesAreNeverCut() {
        assertThat(chunkWhole("It costs 3.50 a month. Come at 3:30 tomorrow."))
                .containsExactly("It costs 3.50 a month.", "Come at 3:30 tomorrow.");
    }

    @Test
    void decimalSplitAcrossDeltasWaitsForTheNextCharacter() {
        TextChunker chunker = new TextChunker();
        assertThat(chunker.push("It costs 3.")).isEmpty();
        assertThat(chunker.push("50 dollars. ")).containsExactly("It costs 3.50 dollars.");
    }

    @Test
    void longClausesAreCutAtCommasButShortOnesAreNot() {
        assertThat(chunkWhole("Yes, we are open. If you arrive before the morning rush, parking is free."))
                .containsExactly("Yes, we are open.", "If you arrive before the morning rush,", "parking is free.");
    }

    @Test
    void thousandsSeparatorsAreNotClauses() {
        assertThat(chunkWhole("We have 1,000 rooms available in this building, all with views."))
                .containsExactly("We have 1,000 rooms available in this building,", "all with views.");
    }

    @Test
    void closingQuotesStayWithTheirSentence() {
        assertThat(chunkWhole("He said \"stop.\" Then he left.")).containsExactly("He said \"stop.\"", "Then he left.");
    }

    @Test
    void ellipsisEndsASentence() {
        assertThat(chunkWhole("Well... let me see.")).containsExactly("Well...", "let me see.");
    }

    @Test
    void textWithoutBoundariesIsCutAtAWordWithinTheMaximum() {
        String words = "word ".repeat(80);
        List<String> chunks = chunkWhole(words);
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(250));
        assertThat(String.join(" ", chunks)).isEqualTo(words.strip());
    }

    @Test
    void streamingCharacterByCharacterGivesTheSamePieces() {
        String text = "Dr. Lee sees patients at 9 a.m. on weekdays. The fee is 42.50, payable at the desk before the visit. "
                + "Call 555-0100, e.g. tomorrow, if you need to move it. Thanks!";
        assertThat(chunkByCharacter(text)).isEqualTo(chunkWhole(text));
    }

    @Test
    void blankTextGivesNothing() {
        assertThat(chunkWhole("   ")).isEmpty();
    }
}
