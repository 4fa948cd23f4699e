package dev.palaver.media.call;

import java.util.List;

/**
 * Which words of a chunk the caller heard. Synthesis gives no word timings, so a word counts as heard
 * when the share of the chunk's audio played reaches the share of the chunk's characters up to the end
 * of that word: speech is taken to run at an even rate through a chunk. Only whole words count.
 */
final class HeardText {

    private HeardText() {
    }

    static String prefix(String text, long heardSamples, long totalSamples) {
        if (totalSamples <= 0 || heardSamples <= 0) {
            return "";
        }
        if (heardSamples >= totalSamples) {
            return text;
        }
        long heardChars = text.length() * heardSamples / totalSamples;
        int end = 0;
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > heardChars) {
                break;
            }
            end = i;
        }
        return text.substring(0, end).strip();
    }

    /** Pieces joined as spoken, skipping blanks. */
    static String join(List<String> pieces) {
        StringBuilder out = new StringBuilder();
        for (String piece : pieces) {
            if (!piece.isBlank()) {
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append(piece.strip());
            }
        }
        return out.toString();
    }
}
