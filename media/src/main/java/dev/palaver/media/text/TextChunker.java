package dev.palaver.media.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts streamed text into pieces worth sending to speech synthesis on their own: whole sentences, and
 * clauses once they are long enough to be worth the extra request. A boundary is only taken when the
 * character after it has arrived, so "3.50", "3:30", "1,000" and "e.g. Monday" are never cut; periods
 * after titles and initials ("Dr.", "J.") never end a sentence, and periods after ambiguous
 * abbreviations ("etc.", "a.m.", "U.S.") end one only when the next word starts with a capital.
 * Not thread-safe: one per reply, used by the call's loop.
 */
public final class TextChunker {

    private static final Set<String> NEVER_ENDS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "vs", "e.g", "i.e", "cf", "approx", "fig", "ca");
    private static final Set<String> MAYBE_ENDS = Set.of(
            "etc", "st", "ave", "inc", "ltd", "co", "corp", "a.m", "p.m");
    private static final String TERMINATORS = ".!?\u2026";
    private static final String CLAUSE_MARKS = ",;:";
    private static final String CLOSERS = "\"')]\u201d\u2019";

    private final int minClauseChars;
    private final int maxChunkChars;
    private final StringBuilder pending = new StringBuilder();

    /** Clauses of at least 30 characters are cut off; no piece exceeds 250 characters. */
    public TextChunker() {
        this(30, 250);
    }

    public TextChunker(int minClauseChars, int maxChunkChars) {
        if (minClauseChars < 1 || maxChunkChars < minClauseChars) {
            throw new IllegalArgumentException("need 1 <= minClauseChars <= maxChunkChars");
        }
        this.minClauseChars = minClauseChars;
        this.maxChunkChars = maxChunkChars;
    }

    /** Adds streamed text; returns the pieces it completed (trimmed, never blank), maybe none. */
    public List<String> push(String delta) {
        pending.append(delta);
        List<String> out = new ArrayList<>(2);
        while (true) {
            int cut = findBoundary();
            if (cut < 0 && pending.length() > maxChunkChars) {
                cut = lastSpaceWithin(maxChunkChars);
            }
            if (cut < 0) {
                return out;
            }
            emit(cut, out);
        }
    }

    /** Ends the stream: returns what is left as a final piece, if anything. */
    public List<String> flush() {
        List<String> out = new ArrayList<>(1);
        emit(pending.length(), out);
        return out;
    }

    /** Characters held back waiting for a boundary. */
    public int pendingLength() {
        return pending.length();
    }

    private void emit(int cut, List<String> out) {
        String piece = pending.substring(0, cut).strip();
        pending.delete(0, cut);
        if (!piece.isEmpty()) {
            out.add(piece);
        }
    }

    /** Index just past a boundary in {@code pending}, or -1 if none can be decided yet. */
    private int findBoundary() {
        int length = pending.length();
        for (int i = 0; i < length; i++) {
            char c = pending.charAt(i);
            if (TERMINATORS.indexOf(c) >= 0) {
                int j = i + 1;
                while (j < length && (TERMINATORS.indexOf(pending.charAt(j)) >= 0
                        || CLOSERS.indexOf(pending.charAt(j)) >= 0)) {
                    j++;
                }
                if (j == length) {
                    return -1;
                }
                if (!Character.isWhitespace(pending.charAt(j))) {
                    i = j - 1;
                    continue;
                }
                if (c == '.' && j == i + 1) {
                    String word = wordBefore(i);
                    if (NEVER_ENDS.contains(word) || isInitial(word)) {
                        continue;
                    }
                    if (MAYBE_ENDS.contains(word) || word.indexOf('.') >= 0) {
                        int next = nextNonSpace(j);
                        if (next == length) {
                            return -1;
                        }
                        if (!Character.isUpperCase(pending.charAt(next))) {
                            continue;
                        }
                    }
                }
                return j;
            }
            if (CLAUSE_MARKS.indexOf(c) >= 0) {
                if (i + 1 == length) {
                    return -1;
                }
                if (Character.isWhitespace(pending.charAt(i + 1))
                        && pending.substring(0, i + 1).strip().length() >= minClauseChars) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    /** The word ending just before index {@code end}, lower-cased, without leading punctuation. */
    private String wordBefore(int end) {
        int start = end;
        while (start > 0 && !Character.isWhitespace(pending.charAt(start - 1))) {
            start--;
        }
        while (start < end && !Character.isLetterOrDigit(pending.charAt(start))) {
            start++;
        }
        return pending.substring(start, end).toLowerCase(Locale.ROOT);
    }

    private static boolean isInitial(String word) {
        return word.length() == 1 && Character.isLetter(word.charAt(0));
    }

    private int nextNonSpace(int from) {
        int k = from;
        while (k < pending.length() && Character.isWhitespace(pending.charAt(k))) {
            k++;
        }
        return k;
    }

    private int lastSpaceWithin(int limit) {
        for (int i = Math.min(limit, pending.length() - 1); i > 0; i--) {
            if (Character.isWhitespace(pending.charAt(i))) {
                return i;
            }
        }
        return limit;
    }
}
