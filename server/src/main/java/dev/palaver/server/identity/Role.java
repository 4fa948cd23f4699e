package dev.palaver.server.identity;

import java.util.Locale;

/** Roles within one organization, from least to most privileged. */
public enum Role {
    VIEWER, MEMBER, ADMIN, OWNER;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Role fromWire(String value) {
        return Role.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
