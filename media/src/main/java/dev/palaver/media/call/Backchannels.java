package dev.palaver.media.call;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Tells listener noises ("uh-huh", "okay") from words that mean the caller wants the floor. */
final class Backchannels {

    // Compiled once: a caller talking over the agent has this checked on every inbound frame.
    private static final Pattern NOT_A_WORD_CHARACTER = Pattern.compile("[^\\p{L}\\p{N}'\\- ]");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Backchannels() {
    }

    /** True if {@code words} holds anything beyond backchannels (blank holds nothing). */
    static boolean hasSubstance(String words, Set<String> backchannels) {
        if (words.isBlank()) {
            return false;
        }
        String normalized = SPACES.matcher(
                NOT_A_WORD_CHARACTER.matcher(words.toLowerCase(Locale.ROOT)).replaceAll(" ").strip()).replaceAll(" ");
        if (normalized.isEmpty() || backchannels.contains(normalized)) {
            return false;
        }
        for (String word : normalized.split(" ")) {
            if (!backchannels.contains(word)) {
                return true;
            }
        }
        return false;
    }
}
