package dev.palaver.server.calls;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/** How a call reached the agent: a phone call in or out, or a browser. */
public enum CallDirection {
    INBOUND, OUTBOUND, WEB;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction a client named, or a 400 naming the choices. */
    public static CallDirection fromWire(String value) {
        for (CallDirection d : values()) {
            if (d.wire().equals(value)) {
                return d;
            }
        }
        throw new ApiException(ErrorCode.BAD_REQUEST, "direction must be one of inbound, outbound, web.");
    }
}
