package dev.palaver.providers.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Word error rate over any number of (reference, hypothesis) pairs: substitutions, deletions and insertions
 * of the cheapest word alignment, divided by the number of reference words. Both sides are normalized first:
 * lower case, punctuation dropped except inside words ("you're"), and numbers spelled out ("9:30" becomes
 * "nine thirty", "3rd" becomes "third"), because recognizers write words. Not thread-safe.
 */
public final class WordErrorRate {
    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
        "ninety"};
    private static final Pattern ORDINAL = Pattern.compile("\\b(\\d{1,6})(?:st|nd|rd|th)\\b");
    private static final Map<String, String> IRREGULAR_ORDINALS = Map.of("one", "first", "two", "second",
            "three", "third", "five", "fifth", "eight", "eighth", "nine", "ninth", "twelve", "twelfth");
    /** Longer digit runs are read digit by digit, as phone numbers are. */
    private static final int MAX_NUMBER_DIGITS = 6;

    private int errors;
    private int referenceWords;

    /** Adds one pair and returns its own word errors. */
    public int add(String reference, String hypothesis) {
        List<String> expected = words(reference);
        int pairErrors = distance(expected, words(hypothesis));
        errors += pairErrors;
        referenceWords += expected.size();
        return pairErrors;
    }

    public int errors() {
        return errors;
    }

    public int referenceWords() {
        return referenceWords;
    }

    /** Errors per reference word so far; 0 before any reference word, and above 1 when insertions dominate. */
    public double rate() {
        return referenceWords == 0 ? 0 : (double) errors / referenceWords;
    }

    /** The normalized words of {@code text}. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        String lower = ORDINAL.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(match -> ordinal(match.group(1)));
        for (int i = 0; i <= lower.length(); i++) {
            char c = i < lower.length() ? lower.charAt(i) : ' ';
            boolean inside = Character.isLetterOrDigit(c)
                    || c == '\'' && !word.isEmpty() && i + 1 < lower.length() && Character.isLetter(lower.charAt(i + 1));
            boolean boundary = !word.isEmpty()
                    && Character.isDigit(c) != Character.isDigit(word.charAt(word.length() - 1));
            if (boundary || !inside) {
                emit(word, words);
            }
            if (inside) {
                word.append(c);
            }
        }
        return words;
    }

    /** Word-level Levenshtein distance. */
    static int distance(List<String> reference, List<String> hypothesis) {
        int[] previous = new int[hypothesis.size() + 1];
        int[] current = new int[hypothesis.size() + 1];
        for (int j = 0; j <= hypothesis.size(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= reference.size(); i++) {
            current[0] = i;
            for (int j = 1; j <= hypothesis.size(); j++) {
                int substitution = previous[j - 1] + (reference.get(i - 1).equals(hypothesis.get(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[hypothesis.size()];
    }

    private static void emit(StringBuilder word, List<String> words) {
        if (word.isEmpty()) {
            return;
        }
        String token = word.toString();
        word.setLength(0);
        if (!Character.isDigit(token.charAt(0))) {
            words.add(token);
        } else if (token.length() > MAX_NUMBER_DIGITS || token.length() > 1 && token.charAt(0) == '0') {
            token.chars().forEach(digit -> words.add(ONES[digit - '0']));
        } else {
            spell(Integer.parseInt(token), words);
        }
    }

    private static String ordinal(String digits) {
        List<String> words = new ArrayList<>();
        spell(Integer.parseInt(digits), words);
        String last = words.removeLast();
        String irregular = IRREGULAR_ORDINALS.get(last);
        words.add(irregular != null ? irregular
                : last.endsWith("y") ? last.substring(0, last.length() - 1) + "ieth" : last + "th");
        return String.join(" ", words);
    }

    private static void spell(int number, List<String> words) {
        if (number >= 1000) {
            spell(number / 1000, words);
            words.add("thousand");
            if (number % 1000 != 0) {
                spell(number % 1000, words);
            }
        } else if (number >= 100) {
            words.add(ONES[number / 100]);
            words.add("hundred");
            if (number % 100 != 0) {
                spell(number % 100, words);
            }
        } else if (number >= 20) {
            words.add(TENS[number / 10]);
            if (number % 10 != 0) {
                words.add(ONES[number % 10]);
            }
        } else {
            words.add(ONES[number]);
        }
    }
}
