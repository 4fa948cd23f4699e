package dev.palaver.server.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static String sentences(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("Sentence number " + i + " talks about topic " + (i * 7 % 13) + " in a few plain words.");
        }
        return String.join(" ", out);
    }

    /** The longest prefix of {@code next} that is also a suffix of {@code previous}. */
    private static String sharedEdge(String previous, String next) {
        for (int n = Math.min(previous.length(), next.length()); n > 0; n--) {
            if (previous.endsWith(next.substring(0, n))) {
                return next.substring(0, n);
            }
        }
        return "";
    }

    @Test
    void consecutiveChunksOverlapByWholeSentencesOfAtMostTheOverlap() {
        String text = sentences(60);
        List<String> chunks = Chunker.chunk(text);

        assertThat(chunks).hasSizeGreaterThan(5);
        for (int i = 1; i < chunks.size(); i++) {
            String shared = sharedEdge(chunks.get(i - 1), chunks.get(i));
            assertThat(shared).as("overlap of chunk %d", i).isNotEmpty().startsWith("Sentence number ").endsWith(".");
            assertThat(shared.length()).isLessThanOrEqualTo(Chunker.OVERLAP);
        }
        for (String chunk : chunks) {
            assertThat(chunk.length()).isLessThanOrEqualTo(Chunker.TARGET + Chunker.OVERLAP + 2);
        }
        for (int i = 0; i < 60; i++) {
            String sentence = "Sentence number " + i + " talks";
            assertThat(chunks).as("every sentence is somewhere").anyMatch(c -> c.contains(sentence));
        }
    }

    @Test
    void aSentenceLongerThanTheOverlapCarriesItsLastWordsOver() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            text.append("Sentence ").append(i).append(" is deliberately much longer than the overlap so that only its")
                    .append(" final words, ending with marker ").append(i).append(", can be carried over. ");
        }
        List<String> chunks = Chunker.chunk(text.toString());

        assertThat(chunks).hasSizeGreaterThan(2);
        for (int i = 1; i < chunks.size(); i++) {
            String shared = sharedEdge(chunks.get(i - 1), chunks.get(i));
            assertThat(shared.length()).as("overlap of chunk %d", i).isBetween(20, Chunker.OVERLAP);
            assertThat(shared).doesNotStartWith(" ");
        }
    }

    @Test
    void paragraphsAndLinesKeepTheirBreaksAndHugeWordsAreCut() {
        String text = "Opening hours\n\nMonday: 9 to 18\nTuesday: 9 to 18\n\n" + "x".repeat(1200);
        List<String> chunks = Chunker.chunk(text);

        assertThat(chunks.getFirst()).startsWith("Opening hours\n\nMonday: 9 to 18\nTuesday: 9 to 18");
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(Chunker.TARGET + Chunker.OVERLAP + 2));
        assertThat(String.join("", chunks).chars().filter(c -> c == 'x').count()).isGreaterThanOrEqualTo(1200);
    }

    @Test
    void shortTextIsOneChunkAndBlankTextNone() {
        assertThat(Chunker.chunk("We are open Monday to Friday from 9 am to 6 pm."))
                .containsExactly("We are open Monday to Friday from 9 am to 6 pm.");
        assertThat(Chunker.chunk(" \n\n ")).isEmpty();
    }
}
