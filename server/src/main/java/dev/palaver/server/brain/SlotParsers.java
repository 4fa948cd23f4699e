package dev.palaver.server.brain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.palaver.server.agents.AgentDefinition.SlotType;
import dev.palaver.server.crm.PhoneNumbers;

/**
 * Reads slot values out of what a caller said, without a language model. Each parser finds its value
 * anywhere in the utterance ("book a haircut next Tuesday at 3 pm, I'm Ann, +1 415 555 0100" yields a
 * date, a time, a name and a phone number). {@code prompted} is true when the agent has just asked for
 * this very slot: then a bare answer counts ("Ann", "tomorrow") and a text slot takes the whole utterance.
 * Values are canonical: ISO dates, {@code HH:mm} times, E.164 numbers, names in title case.
 */
final class SlotParsers {

    private static final Map<String, DayOfWeek> DAYS = Map.of("monday", DayOfWeek.MONDAY, "tuesday", DayOfWeek.TUESDAY,
            "wednesday", DayOfWeek.WEDNESDAY, "thursday", DayOfWeek.THURSDAY, "friday", DayOfWeek.FRIDAY,
            "saturday", DayOfWeek.SATURDAY, "sunday", DayOfWeek.SUNDAY);
    private static final Pattern WEEKDAY = Pattern.compile(
            "\\b(next|this|on|coming)?\\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b");
    private static final Pattern ISO_DATE = Pattern.compile("\\b(\\d{4}-\\d{2}-\\d{2})\\b");
    private static final Pattern MONTH_DAY = Pattern.compile(
            "\\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b");
    private static final Pattern DAY_MONTH = Pattern.compile(
            "\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\b");
    private static final Pattern CLOCK_AMPM = Pattern.compile(
            "(?<![\\d:+])(\\d{1,2})(?:[:.](\\d{2}))?\\s*(a\\.?\\s?m\\.?|p\\.?\\s?m\\.?)(?![a-z])");
    private static final Pattern CLOCK_24 = Pattern.compile("(?<![\\d+])([01]?\\d|2[0-3]):([0-5]\\d)(?!\\d)");
    private static final Pattern AT_HOUR = Pattern.compile("\\bat\\s+(\\d{1,2})(?::(\\d{2}))?(?![\\d:])(?!\\s*(?:am|pm|a\\.m|p\\.m))");
    private static final Pattern HOUR_WORDS = Pattern.compile(
            "\\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\\s+(thirty|fifteen|forty[- ]five))?\\s*(o'clock|a\\.?m\\.?|p\\.?m\\.?|in the morning|in the afternoon|in the evening)\\b");
    private static final Pattern BARE_HOUR = Pattern.compile(
            "(?<![\\d:+])(?:(\\d{1,2})(?::(\\d{2}))?(?![\\d:])|\\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\\b)");
    private static final Pattern NAME_INTRO = Pattern.compile(
            "(?i)\\b(?:i am|i'm|im|my name is|my name's|this is|it's|name is|call me)\\s+([\\p{L}][\\p{L}'-]+(?:\\s+[\\p{L}][\\p{L}'-]+)?)");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\d+])(-?\\d+(?:\\.\\d+)?)(?![\\d])");
    private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(Map.entry("zero", 0), Map.entry("one", 1),
            Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
            Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
            Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("fifteen", 15), Map.entry("twenty", 20),
            Map.entry("thirty", 30));
    /** Words after "I'm" that are not names ("I'm looking for...", "I'm calling about..."). */
    private static final Set<String> NOT_NAMES = Set.of("a", "an", "the", "looking", "calling", "interested", "trying",
            "going", "not", "just", "sorry", "fine", "good", "great", "ok", "okay", "here", "afraid", "available",
            "free", "busy", "sure", "wondering", "hoping", "after", "about", "from", "in", "at", "on", "with", "so",
            "very", "really", "also", "still", "new", "back", "done", "ready", "happy", "glad", "well", "booking",
            "ringing", "phoning", "asking", "and", "to", "for", "that", "this", "all", "no", "yes", "doing", "fairly",
            "pretty", "quite", "thinking", "planning", "hungry", "tired", "late", "early", "me", "monday", "tuesday",
            "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow", "open", "closed", "there");
    private static final Set<String> NOT_NAME_TAILS = Set.of("and", "i", "my", "at", "on", "for", "from", "to",
            "the", "a", "please", "thanks", "calling", "here", "speaking", "again", "with", "next", "this", "tomorrow",
            "today", "phone", "number");

    private SlotParsers() {
    }

    /** The slot's value in {@code text}, if the parser of its type finds one. */
    static Optional<String> parse(SlotType type, String text, boolean prompted, LocalDate today, String phoneRegion) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return switch (type) {
            case DATE -> date(text, today).map(LocalDate::toString);
            case TIME -> time(text, prompted).map(t -> t.toString());
            case PHONE -> PhoneNumbers.findIn(text, phoneRegion);
            case NAME -> name(text, prompted);
            case NUMBER -> number(text);
            case TEXT -> prompted ? Optional.of(text.strip()) : Optional.empty();
        };
    }

    static Optional<LocalDate> date(String text, LocalDate today) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("day after tomorrow")) {
            return Optional.of(today.plusDays(2));
        }
        if (t.matches("(?s).*\\btomorrow\\b.*")) {
            return Optional.of(today.plusDays(1));
        }
        if (t.matches("(?s).*\\btoday\\b.*")) {
            return Optional.of(today);
        }
        Matcher iso = ISO_DATE.matcher(t);
        if (iso.find()) {
            try {
                return Optional.of(LocalDate.parse(iso.group(1)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        Matcher md = MONTH_DAY.matcher(t);
        if (md.find()) {
            return monthDay(md.group(1), md.group(2), today);
        }
        Matcher dm = DAY_MONTH.matcher(t);
        if (dm.find()) {
            return monthDay(dm.group(2), dm.group(1), today);
        }
        Matcher wd = WEEKDAY.matcher(t);
        if (wd.find()) {
            DayOfWeek day = DAYS.get(wd.group(2));
            // "Tuesday", "this Tuesday", "next Tuesday": the coming one, never today (a week later when today is Tuesday).
            return Optional.of(today.with(TemporalAdjusters.next(day)));
        }
        if (t.matches("(?s).*\\bnext week\\b.*")) {
            return Optional.of(today.with(TemporalAdjusters.next(DayOfWeek.MONDAY)));
        }
        return Optional.empty();
    }

    private static Optional<LocalDate> monthDay(String monthName, String dayText, LocalDate today) {
        Month month = null;
        for (Month m : Month.values()) {
            if (m.name().toLowerCase(Locale.ROOT).startsWith(monthName.substring(0, 3))) {
                month = m;
            }
        }
        int day = Integer.parseInt(dayText);
        if (month == null || day < 1 || day > month.maxLength()) {
            return Optional.empty();
        }
        LocalDate candidate = LocalDate.of(today.getYear(), month, Math.min(day, month.length(today.isLeapYear())));
        return Optional.of(candidate.isBefore(today) ? candidate.plusYears(1) : candidate);
    }

    static Optional<LocalTime> time(String text, boolean prompted) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.matches("(?s).*\\b(noon|midday)\\b.*")) {
            return Optional.of(LocalTime.NOON);
        }
        Matcher ampm = CLOCK_AMPM.matcher(t);
        if (ampm.find()) {
            return clock(Integer.parseInt(ampm.group(1)), ampm.group(2) == null ? 0 : Integer.parseInt(ampm.group(2)),
                    ampm.group(3).startsWith("p"));
        }
        Matcher words = HOUR_WORDS.matcher(t);
        if (words.find()) {
            int hour = NUMBER_WORDS.get(words.group(1));
            int minute = words.group(2) == null ? 0 : words.group(2).startsWith("thirty") ? 30
                    : words.group(2).startsWith("fifteen") ? 15 : 45;
            String when = words.group(3);
            boolean pm = when.startsWith("p") || when.contains("afternoon") || when.contains("evening")
                    || (when.equals("o'clock") && hour >= 1 && hour <= 7);
            return clock(hour, minute, pm);
        }
        Matcher clock = CLOCK_24.matcher(t);
        if (clock.find()) {
            return Optional.of(LocalTime.of(Integer.parseInt(clock.group(1)), Integer.parseInt(clock.group(2))));
        }
        Matcher at = AT_HOUR.matcher(t);
        if (at.find()) {
            return businessHour(Integer.parseInt(at.group(1)), at.group(2) == null ? 0 : Integer.parseInt(at.group(2)));
        }
        if (prompted) {
            // Asked "what time?", a lone number ("4 then") or hour word ("four") is the answer.
            Matcher bare = BARE_HOUR.matcher(t);
            if (bare.find()) {
                int hour = bare.group(1) != null ? Integer.parseInt(bare.group(1)) : NUMBER_WORDS.get(bare.group(3));
                int minute = bare.group(2) == null ? 0 : Integer.parseInt(bare.group(2));
                if (!bare.find()) {
                    return businessHour(hour, minute);
                }
            }
        }
        return Optional.empty();
    }

    /** A bare business hour: "at 3" means 3 PM, "at 9" 9 AM. */
    private static Optional<LocalTime> businessHour(int hour, int minute) {
        if (hour > 23 || minute > 59) {
            return Optional.empty();
        }
        return Optional.of(LocalTime.of(hour >= 1 && hour <= 7 ? hour + 12 : hour, minute));
    }

    private static Optional<LocalTime> clock(int hour, int minute, boolean pm) {
        if (hour < 1 || hour > 12 || minute > 59) {
            return Optional.empty();
        }
        int h = hour % 12 + (pm ? 12 : 0);
        return Optional.of(LocalTime.of(h, minute));
    }

    static Optional<String> name(String text, boolean prompted) {
        Matcher m = NAME_INTRO.matcher(text);
        while (m.find()) {
            String[] words = m.group(1).split("\\s+");
            if (NOT_NAMES.contains(words[0].toLowerCase(Locale.ROOT))) {
                continue;
            }
            boolean keepSecond = words.length > 1 && !NOT_NAME_TAILS.contains(words[1].toLowerCase(Locale.ROOT))
                    && Character.isUpperCase(words[1].charAt(0)) == Character.isUpperCase(words[0].charAt(0));
            return Optional.of(titleCase(keepSecond ? words[0] + " " + words[1] : words[0]));
        }
        if (prompted) {
            String bare = text.strip().replaceAll("[.!,]+$", "");
            if (bare.matches("[\\p{L}][\\p{L}'-]*(\\s+[\\p{L}][\\p{L}'-]*){0,2}")
                    && !NOT_NAMES.contains(bare.split("\\s+")[0].toLowerCase(Locale.ROOT))) {
                return Optional.of(titleCase(bare));
            }
        }
        return Optional.empty();
    }

    static Optional<String> number(String text) {
        Matcher m = NUMBER.matcher(text);
        if (m.find()) {
            return Optional.of(m.group(1));
        }
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            Integer n = NUMBER_WORDS.get(word);
            if (n != null) {
                return Optional.of(Integer.toString(n));
            }
        }
        return Optional.empty();
    }

    private static String titleCase(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.strip().split("\\s+")) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }
}
