package dev.palaver.server.calls;

/**
 * A telephony provider's part in a hang-up asked for before the call's media connected: the call has
 * ended here, and the provider lets go of it on its side too (e.g. Twilio stops ringing the callee).
 * Implementations return at once and ignore calls that are not theirs.
 */
public interface ProviderHangUps {

    void endUnanswered(CallRecord call);
}
