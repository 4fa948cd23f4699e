package dev.palaver.server.brain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.palaver.server.agents.AgentDefinition.SlotType;

class SlotParsersTest {

    /** A Tuesday. */
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 24);

    private static Optional<String> parse(SlotType type, String text, boolean prompted) {
        return SlotParsers.parse(type, text, prompted, TODAY, "US");
    }

    @Test
    void datesInTheWaysCallersSayThem() {
        assertThat(parse(SlotType.DATE, "next Tuesday at 3", false)).contains("2026-12-01");
        assertThat(parse(SlotType.DATE, "on friday please", false)).contains("2026-11-27");
        assertThat(parse(SlotType.DATE, "tomorrow", false)).contains("2026-11-25");
        assertThat(parse(SlotType.DATE, "the day after tomorrow", false)).contains("2026-11-26");
        assertThat(parse(SlotType.DATE, "today if you can", false)).contains("2026-11-24");
        assertThat(parse(SlotType.DATE, "December 3rd", false)).contains("2026-12-03");
        assertThat(parse(SlotType.DATE, "the 5th of January", false)).contains("2027-01-05");
        assertThat(parse(SlotType.DATE, "2027-02-28", false)).contains("2027-02-28");
        assertThat(parse(SlotType.DATE, "whenever suits", false)).isEmpty();
    }

    @Test
    void timesWithAndWithoutMeridiem() {
        assertThat(parse(SlotType.TIME, "at 3 pm", false)).contains("15:00");
        assertThat(parse(SlotType.TIME, "3:30pm", false)).contains("15:30");
        assertThat(parse(SlotType.TIME, "10 a.m.", false)).contains("10:00");
        assertThat(parse(SlotType.TIME, "12 pm", false)).contains("12:00");
        assertThat(parse(SlotType.TIME, "at noon", false)).contains("12:00");
        assertThat(parse(SlotType.TIME, "16:45", false)).contains("16:45");
        assertThat(parse(SlotType.TIME, "at 4", false)).contains("16:00");
        assertThat(parse(SlotType.TIME, "three in the afternoon", false)).contains("15:00");
        assertThat(parse(SlotType.TIME, "4", true)).contains("16:00");
        assertThat(parse(SlotType.TIME, "4", false)).isEmpty();
        assertThat(parse(SlotType.TIME, "4 then", true)).contains("16:00");
        assertThat(parse(SlotType.TIME, "four would be great", true)).contains("16:00");
        assertThat(parse(SlotType.TIME, "10:30", true)).contains("10:30");
        assertThat(parse(SlotType.TIME, "4 or 5", true)).isEmpty();
        assertThat(parse(SlotType.TIME, "my number is +1 415 555 0100", false)).isEmpty();
    }

    @Test
    void phoneNumbersBecomeE164() {
        assertThat(parse(SlotType.PHONE, "I'm Ann, +1 415 555 0100", false)).contains("+14155550100");
        assertThat(parse(SlotType.PHONE, "call me on (415) 555-0101", false)).contains("+14155550101");
        assertThat(parse(SlotType.PHONE, "+44 20 7946 0958", false)).contains("+442079460958");
        assertThat(parse(SlotType.PHONE, "no number", false)).isEmpty();
    }

    @Test
    void namesFromIntroductionsAndBareAnswers() {
        assertThat(parse(SlotType.NAME, "I'd like a haircut, I'm Ann, +1 415 555 0100", false)).contains("Ann");
        assertThat(parse(SlotType.NAME, "my name is ann smith", false)).contains("Ann Smith");
        assertThat(parse(SlotType.NAME, "This is Bob calling", false)).contains("Bob");
        assertThat(parse(SlotType.NAME, "I'm looking for a haircut", false)).isEmpty();
        assertThat(parse(SlotType.NAME, "Carla", true)).contains("Carla");
        assertThat(parse(SlotType.NAME, "Carla", false)).isEmpty();
    }

    @Test
    void numbersAndText() {
        assertThat(parse(SlotType.NUMBER, "for 3 people", false)).contains("3");
        assertThat(parse(SlotType.NUMBER, "two of us", false)).contains("2");
        assertThat(parse(SlotType.TEXT, "  Please call me back. ", true)).contains("Please call me back.");
        assertThat(parse(SlotType.TEXT, "Please call me back.", false)).isEmpty();
    }
}
