package dev.palaver.media.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts streamed text into pieces worth sending to speech synthesis on their own: whole sentences, and
 * clauses once they are long enough to be worth the extra request. "3.50", "3:30", "1,000" and
 * "e.g. Monday" are never cut; periods after titles and initials ("Dr.", "J.") never end a sentence, and
 * periods after ambiguous abbreviations ("etc.", "a.m.", "U.S.") end one only when the next word starts
 * with a capital.
 *
 * <p>A sentence whose end is the last thing received is cut at once when nothing about that end is
 * ambiguous: "?", "!" or "…", or a single period after a word that is not a number, an initial, a title or
 * an abbreviation, with no quotation mark or bracket left open. A model streams its first sentence and
 * then pauses for the next token; waiting for the character after the period would add that pause to
 * the caller's wait for the first word. Anything else at the end waits for the next character. The
 * rest of a run of terminators or closers that arrives after such a cut (an ellipsis growing from "."
 * to "...") is dropped: it has nothing to say.
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
    /** The last piece was cut at the end of the text received; terminators arriving next belong to it. */
    private boolean cutAtEnd;

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
        if (cutAtEnd) {
            dropTrailingPunctuationOfLastPiece();
        }
        List<String> out = new ArrayList<>(2);
        while (true) {
            int cut = findBoundary();
            if (cut < 0 && pending.length() > maxChunkChars) {
                cut = lastSpaceWithin(maxChunkChars);
            }
            if (cut < 0) {
                return out;
            }
            cutAtEnd = cut == pending.length();
            emit(cut, out);
        }
    }

    /** Ends the stream: returns what is left as a final piece, if anything. */
    public List<String> flush() {
        List<String> out = new ArrayList<>(1);
        cutAtEnd = false;
        emit(pending.length(), out);
        return out;
    }

    /** Characters held back waiting for a boundary. */
    public int pendingLength() {
        return pending.length();
    }

    private void dropTrailingPunctuationOfLastPiece() {
        int k = 0;
        while (k < pending.length() && (TERMINATORS.indexOf(pending.charAt(k)) >= 0
                || CLOSERS.indexOf(pending.charAt(k)) >= 0)) {
            k++;
        }
        pending.delete(0, k);
        cutAtEnd = pending.isEmpty();
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
                    return endsUnambiguously(i, j) ? j : -1;
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

    /**
     * Whether the terminators from {@code i} up to the end of the text (closers included) end a sentence
     * whatever comes next.
     */
    private boolean endsUnambiguously(int i, int end) {
        int terminators = i;
        while (terminators < end && TERMINATORS.indexOf(pending.charAt(terminators)) >= 0) {
            terminators++;
        }
        String run = pending.substring(i, terminators);
        if (run.indexOf('.') >= 0 && !run.equals(".") && !run.endsWith("...")) {
            return false;
        }
        if (run.equals(".")) {
            String word = wordBefore(i);
            if (word.isEmpty() || !Character.isLetter(word.charAt(word.length() - 1)) || isInitial(word)
                    || NEVER_ENDS.contains(word) || MAYBE_ENDS.contains(word) || word.indexOf('.') >= 0) {
                return false;
            }
        }
        return balanced(end);
    }

    /** No double quotation mark, curly quotation or bracket is left open in the first {@code end} characters. */
    private boolean balanced(int end) {
        int straightQuotes = 0;
        int curly = 0;
        int brackets = 0;
        for (int k = 0; k < end; k++) {
            switch (pending.charAt(k)) {
                case '"' -> straightQuotes++;
                case '\u201c' -> curly++;
                case '\u201d' -> curly--;
                case '(', '[' -> brackets++;
                case ')', ']' -> brackets--;
                default -> {
                }
            }
        }
        return straightQuotes % 2 == 0 && curly <= 0 && brackets <= 0;
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
