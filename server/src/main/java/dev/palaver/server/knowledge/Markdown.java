package dev.palaver.server.knowledge;

import java.util.regex.Pattern;

/**
 * Markdown to plain text, lightly: the markup goes (headings' hashes, emphasis, link targets, list markers,
 * fences, table rules), the words stay where they were.
 */
final class Markdown {

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~).*$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern RULE = Pattern.compile("^\\s{0,3}([-*_=])(\\s*\\1){2,}\\s*$");
    private static final Pattern QUOTE = Pattern.compile("^\\s{0,3}(>\\s?)+");
    private static final Pattern LIST = Pattern.compile("^(\\s*)([-*+]|\\d{1,9}[.)])\\s+(\\[[ xX]]\\s+)?");
    private static final Pattern TABLE_RULE = Pattern.compile("^\\s*\\|?(\\s*:?-{2,}:?\\s*\\|)+\\s*(:?-{2,}:?)?\\s*$");
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^]]+]:\\s+\\S+.*$");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^]]*)]\\([^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^]]+)]\\([^)]*\\)");
    private static final Pattern REF_LINK = Pattern.compile("\\[([^]]+)]\\[[^]]*]");
    private static final Pattern AUTOLINK = Pattern.compile("<((?:https?|mailto):[^>\\s]+)>");
    private static final Pattern TAG = Pattern.compile("</?[A-Za-z][A-Za-z0-9-]*(\\s[^<>]*)?/?>");
    // Spans are bounded ({1,400}) so that a long line full of markers costs linear time, not quadratic.
    private static final Pattern STRONG = Pattern.compile("(\\*\\*|__)(?=\\S)(.{1,400}?)(?<=\\S)\\1");
    private static final Pattern EMPHASIS = Pattern.compile("(?<![\\w*])([*_])(?=\\S)(.{1,400}?)(?<=\\S)\\1(?![\\w*])");
    private static final Pattern STRIKE = Pattern.compile("~~(?=\\S)(.{1,400}?)(?<=\\S)~~");
    private static final Pattern CODE = Pattern.compile("`+([^`]+)`+");

    private Markdown() {
    }

    static String toText(String markdown) {
        StringBuilder out = new StringBuilder(markdown.length());
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                out.append(line).append('\n');
                continue;
            }
            if (RULE.matcher(line).matches() || TABLE_RULE.matcher(line).matches() || REFERENCE.matcher(line).matches()) {
                continue;
            }
            String text = line;
            var heading = HEADING.matcher(text);
            if (heading.matches()) {
                text = heading.group(1);
            }
            text = QUOTE.matcher(text).replaceFirst("");
            text = LIST.matcher(text).replaceFirst("$1");
            if (text.strip().startsWith("|")) {
                text = tableRow(text);
            }
            text = IMAGE.matcher(text).replaceAll("$1");
            text = LINK.matcher(text).replaceAll("$1");
            text = REF_LINK.matcher(text).replaceAll("$1");
            text = AUTOLINK.matcher(text).replaceAll("$1");
            text = TAG.matcher(text).replaceAll("");
            text = CODE.matcher(text).replaceAll("$1");
            text = STRONG.matcher(text).replaceAll("$2");
            text = EMPHASIS.matcher(text).replaceAll("$2");
            text = STRIKE.matcher(text).replaceAll("$1");
            out.append(text).append('\n');
        }
        return out.toString();
    }

    private static String tableRow(String line) {
        String row = line.strip();
        row = row.substring(1);
        if (row.endsWith("|")) {
            row = row.substring(0, row.length() - 1);
        }
        StringBuilder cells = new StringBuilder();
        for (String cell : row.split("\\|")) {
            if (!cell.isBlank()) {
                if (!cells.isEmpty()) {
                    cells.append(" | ");
                }
                cells.append(cell.strip());
            }
        }
        return cells.toString();
    }
}
