package dev.palaver.media.call;

/**
 * The caller's turn in progress: from the first speech until the turn is decided. A turn that starts
 * while the agent is replying is a candidate interruption until it proves itself (or is dropped).
 */
final class CallerTurn {

    final long startedAt;
    boolean candidate;
    boolean speaking;
    long utteranceOnset;
    long lastStop;
    /** endOfSpeech() calls whose final transcript has not come back. */
    int pendingFlushes;
    long lastFlushAt = Long.MIN_VALUE;
    long lastFinalAt = Long.MIN_VALUE;
    private final StringBuilder finals = new StringBuilder();
    private String partial = "";

    CallerTurn(long onset) {
        startedAt = onset;
        utteranceOnset = onset;
    }

    void addFinal(String text, int maxChars) {
        partial = "";
        String words = text.strip();
        if (words.isEmpty()) {
            return;
        }
        if (!finals.isEmpty()) {
            finals.append(' ');
        }
        finals.append(words);
        if (finals.length() > maxChars) {
            finals.setLength(maxChars);
        }
    }

    void setPartial(String text) {
        partial = text;
    }

    void clearWords() {
        finals.setLength(0);
        partial = "";
    }

    /** Settled words. */
    String text() {
        return finals.toString();
    }

    /** Settled words plus the current hypothesis. */
    String wordsSoFar() {
        return partial.isBlank() ? finals.toString() : finals + " " + partial;
    }
}
