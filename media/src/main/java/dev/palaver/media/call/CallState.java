package dev.palaver.media.call;

/**
 * Where a call is. CONNECTING → GREETING → LISTENING ⇄ USER_SPEAKING → THINKING → SPEAKING → … → ENDED.
 * USER_SPEAKING lasts from the caller's first word until the turn is decided (speech plus the endpointing
 * silence); THINKING is a reply with nothing playing; SPEAKING is a reply playing.
 */
public enum CallState {
    CONNECTING, GREETING, LISTENING, USER_SPEAKING, THINKING, SPEAKING, ENDED
}
