package dev.palaver.media.call;

/** What to do after a false interruption: caller sound that cut the agent off but held no words. */
public enum FalseInterruptionPolicy {
    /** Say the rest, from the first word the caller did not hear. */
    RESUME,
    /** Say the interrupted sentence again from its start, then the rest. */
    REPEAT_SENTENCE,
    /** Say nothing more; wait for the caller. */
    LISTEN
}
