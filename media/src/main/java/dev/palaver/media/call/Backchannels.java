package dev.palaver.media.call;

import java.util.Locale;
import java.util.Set;

/** Tells listener noises ("uh-huh", "okay") from words that mean the caller wants the floor. */
final class Backchannels {

    private Backchannels() {
    }

    /** True if {@code words} holds anything beyond backchannels (blank holds nothing). */
    static boolean hasSubstance(String words, Set<String> backchannels) {
        String normalized = words.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}'\\- ]", " ").strip()
                .replaceAll("\\s+", " ");
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
