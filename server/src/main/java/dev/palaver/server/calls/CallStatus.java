package dev.palaver.server.calls;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Where a call is in its life. {@code QUEUED} and {@code RINGING} precede media; {@code IN_PROGRESS} has
 * media; the rest are final and set together with {@code ended_at}.
 */
public enum CallStatus {
    QUEUED, RINGING, IN_PROGRESS, COMPLETED, FAILED, BUSY, NO_ANSWER, CANCELED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return switch (this) {
            case QUEUED, RINGING, IN_PROGRESS -> false;
            case COMPLETED, FAILED, BUSY, NO_ANSWER, CANCELED -> true;
        };
    }

    /** The status a client named, or a 400 naming the choices. */
    public static CallStatus fromWire(String value) {
        for (CallStatus s : values()) {
            if (s.wire().equals(value)) {
                return s;
            }
        }
        throw new ApiException(ErrorCode.BAD_REQUEST,
                "status must be one of queued, ringing, in_progress, completed, failed, busy, no_answer, canceled.");
    }
}
