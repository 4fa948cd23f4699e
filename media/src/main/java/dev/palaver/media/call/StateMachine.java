package dev.palaver.media.call;

import static dev.palaver.media.call.CallState.CONNECTING;
import static dev.palaver.media.call.CallState.ENDED;
import static dev.palaver.media.call.CallState.GREETING;
import static dev.palaver.media.call.CallState.LISTENING;
import static dev.palaver.media.call.CallState.SPEAKING;
import static dev.palaver.media.call.CallState.THINKING;
import static dev.palaver.media.call.CallState.USER_SPEAKING;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The call's state and the transitions allowed between states. A refused transition is a bug: logged, counted. */
final class StateMachine {

    private static final Logger log = LoggerFactory.getLogger(StateMachine.class);

    private static final Map<CallState, Set<CallState>> ALLOWED = new EnumMap<>(CallState.class);

    static {
        ALLOWED.put(CONNECTING, EnumSet.of(GREETING, LISTENING, ENDED));
        ALLOWED.put(GREETING, EnumSet.of(LISTENING, USER_SPEAKING, SPEAKING, ENDED));
        ALLOWED.put(LISTENING, EnumSet.of(USER_SPEAKING, THINKING, SPEAKING, ENDED));
        ALLOWED.put(USER_SPEAKING, EnumSet.of(LISTENING, THINKING, SPEAKING, ENDED));
        ALLOWED.put(THINKING, EnumSet.of(SPEAKING, USER_SPEAKING, LISTENING, ENDED));
        ALLOWED.put(SPEAKING, EnumSet.of(LISTENING, USER_SPEAKING, THINKING, ENDED));
        ALLOWED.put(ENDED, EnumSet.noneOf(CallState.class));
    }

    private final String callId;
    private CallState state = CONNECTING;
    private int invalid;

    StateMachine(String callId) {
        this.callId = callId;
    }

    CallState state() {
        return state;
    }

    /** Moves to {@code next}; staying put is fine. Returns false, and stays, if the move is not allowed. */
    boolean moveTo(CallState next) {
        if (next == state) {
            return true;
        }
        if (!ALLOWED.get(state).contains(next)) {
            invalid++;
            log.error("Bug: call {} tried the invalid transition {} -> {}", callId, state, next);
            return false;
        }
        log.debug("Call {}: {} -> {}", callId, state, next);
        state = next;
        return true;
    }

    int invalidTransitions() {
        return invalid;
    }
}
