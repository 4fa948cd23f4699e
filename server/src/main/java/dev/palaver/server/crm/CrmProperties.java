package dev.palaver.server.crm;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Booking settings shared by the API and the agents' tools: the business's time zone (dates and times
 * callers say are read in it), when appointments may be booked ({@code opensAt}-{@code closesAt} on
 * {@code openDays}), the slot grid offered as alternatives, the default length of an appointment, and the
 * region for phone numbers written without a country code.
 */
@Validated
@ConfigurationProperties("palaver.crm")
public record CrmProperties(
        @DefaultValue("UTC") @NotNull ZoneId timeZone,
        @DefaultValue("09:00") @NotNull LocalTime opensAt,
        @DefaultValue("18:00") @NotNull LocalTime closesAt,
        @DefaultValue({"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"}) @NotNull Set<DayOfWeek> openDays,
        @DefaultValue("30") @Positive @Max(1440) int slotMinutes,
        @DefaultValue("30") @Positive @Max(1440) int defaultDurationMinutes,
        @DefaultValue("US") @NotNull String phoneRegion) {
}
