package dev.palaver.providers.offline;

import java.text.Normalizer;
import java.util.Objects;

/** Checks and prepares text for the offline synthesizers. */
final class SynthesisText {
    /**
     * Longest text one synthesis call accepts. The engine sends a sentence or clause at a time; the bound
     * keeps one request from holding a synthesizer (and its lock) for minutes.
     */
    static final int MAX_LENGTH = 2_000;

    private SynthesisText() {
    }

    static String require(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("text has " + text.length() + " characters; at most " + MAX_LENGTH
                    + " are synthesized in one call");
        }
        return text;
    }

    /**
     * The text in printable ASCII: accents are dropped ("Café" becomes "Cafe") and any other character becomes
     * a space. flite's English front end reads bytes; UTF-8 sequences would be spelled out as noise.
     */
    static String toAscii(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.append(' ');
            }
        }
        return out.toString();
    }
}
