package dev.palaver.media.call;

/** Why a call ended. */
public enum EndReason {
    /** The caller hung up or the connection dropped. */
    CALLER_HUNG_UP,
    /** The agent ended the call with a tool (after saying goodbye). */
    AGENT_HUNG_UP,
    /** The caller stayed silent through every re-prompt. */
    SILENCE_TIMEOUT,
    /** The call reached its maximum duration. */
    MAX_DURATION,
    /** The platform asked the call to end (an operator, a shutdown). */
    HANGUP_REQUESTED,
    /** Providers kept failing and there was nothing left to try. */
    PROVIDER_FAILURE,
    /** A bug or overload inside the engine. */
    ERROR
}
