package dev.palaver.media.call;

/** The call's timers. All but {@link #TOOL} exist at most once; TOOL timers are keyed by tool call id. */
enum TimerKind {
    /** Next 20 ms output frame is due. */
    PACE,
    /** The caller's silence may have lasted the endpointing delay. */
    ENDPOINT,
    /** Nobody has said anything for the silence timeout. */
    SILENCE,
    MAX_DURATION,
    STT_STALL,
    LLM_STALL,
    TTS_STALL,
    SUMMARY_STALL,
    /** The last mark of a reply was sent but never reported played. */
    MARK_GRACE,
    /** Thinking with nothing playing for too long: say a filler. */
    FILLER,
    /** Keys pressed, then a pause: the keys are the caller's input. */
    DTMF,
    TOOL
}
