package dev.palaver.server.brain;

/**
 * What a tool may do to the conversation it runs in. Each transport implements it; a text conversation
 * records the requests without acting on them.
 */
public interface CallControl {

    /** Hands the caller over to {@code destination} (E.164 number or SIP URI); the agent leaves the call. */
    void transfer(String destination);

    /** Plays DTMF tones to the far end (digits 0-9, *, #). */
    void sendDtmf(String digits);

    /** Ends the conversation after what was said has played. */
    void endCall();

    /** For conversations that cannot transfer or play tones (text tests): accepts and ignores them. */
    CallControl NONE = new CallControl() {
        @Override
        public void transfer(String destination) {
        }

        @Override
        public void sendDtmf(String digits) {
        }

        @Override
        public void endCall() {
        }
    };
}
