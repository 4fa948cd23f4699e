package dev.palaver.server.knowledge;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts text into overlapping chunks of about {@link #TARGET} characters along sentence, line and paragraph
 * boundaries. Each chunk after the first starts with the end of the one before (whole sentences when they
 * fit in {@link #OVERLAP} characters, otherwise the last words), so a fact that straddles a cut is still
 * whole in one chunk. A chunk is at most {@code TARGET + OVERLAP + 2} characters.
 */
final class Chunker {

    static final int TARGET = 500;
    static final int OVERLAP = 80;

    private enum Join { NONE, SPACE, LINE, PARAGRAPH }

    private record Unit(String text, Join join) {
    }

    private Chunker() {
    }

    static List<String> chunk(String text) {
        return chunk(text, TARGET, OVERLAP);
    }

    static List<String> chunk(String text, int target, int overlap) {
        List<String> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        List<Integer> unitStarts = new ArrayList<>();
        boolean fresh = false;
        for (Unit unit : units(text, target)) {
            if (fresh && current.length() + separator(unit.join()).length() + unit.text().length() > target) {
                chunks.add(current.toString());
                String tail = tail(current, unitStarts, overlap);
                current.setLength(0);
                unitStarts.clear();
                if (!tail.isEmpty()) {
                    unitStarts.add(0);
                    current.append(tail);
                }
                fresh = false;
            }
            if (!current.isEmpty()) {
                current.append(separator(unit.join()));
            }
            unitStarts.add(current.length());
            current.append(unit.text());
            fresh = true;
        }
        if (fresh) {
            chunks.add(current.toString());
        }
        return chunks;
    }

    /** The longest run of whole trailing units within {@code overlap}, else the last words that fit. */
    private static String tail(StringBuilder chunk, List<Integer> unitStarts, int overlap) {
        for (int start : unitStarts) {
            if (chunk.length() - start <= overlap) {
                return chunk.substring(start);
            }
        }
        int from = chunk.length() - overlap;
        while (from < chunk.length() && !Character.isWhitespace(chunk.charAt(from - 1))) {
            from++;
        }
        return from >= chunk.length() ? "" : chunk.substring(from);
    }

    private static String separator(Join join) {
        return switch (join) {
            case NONE -> "";
            case SPACE -> " ";
            case LINE -> "\n";
            case PARAGRAPH -> "\n\n";
        };
    }

    /** Sentences (split further at word boundaries when longer than {@code max}), with how each joins the previous. */
    private static List<Unit> units(String text, int max) {
        List<Unit> units = new ArrayList<>();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        Join join = Join.NONE;
        for (String paragraph : text.strip().split("\n\\s*\n")) {
            for (String line : paragraph.split("\n")) {
                String clean = line.strip().replaceAll("\\s+", " ");
                if (clean.isEmpty()) {
                    continue;
                }
                sentences.setText(clean);
                int start = sentences.first();
                for (int end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
                    String sentence = clean.substring(start, end).strip();
                    for (String piece : split(sentence, max)) {
                        units.add(new Unit(piece, units.isEmpty() ? Join.NONE : join));
                        join = Join.SPACE;
                    }
                }
                join = Join.LINE;
            }
            join = Join.PARAGRAPH;
        }
        return units;
    }

    private static List<String> split(String sentence, int max) {
        if (sentence.length() <= max) {
            return sentence.isEmpty() ? List.of() : List.of(sentence);
        }
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (String word : sentence.split(" ")) {
            while (word.length() > max) {
                if (!piece.isEmpty()) {
                    pieces.add(piece.toString());
                    piece.setLength(0);
                }
                pieces.add(word.substring(0, max));
                word = word.substring(max);
            }
            if (!piece.isEmpty() && piece.length() + 1 + word.length() > max) {
                pieces.add(piece.toString());
                piece.setLength(0);
            }
            if (!piece.isEmpty()) {
                piece.append(' ');
            }
            piece.append(word);
        }
        if (!piece.isEmpty()) {
            pieces.add(piece.toString());
        }
        return pieces;
    }
}
