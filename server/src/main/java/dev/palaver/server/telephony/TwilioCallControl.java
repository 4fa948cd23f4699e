package dev.palaver.server.telephony;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.palaver.server.brain.CallControl;

/**
 * Call control on a Twilio call, over the REST API: a transfer replaces the call's TwiML with a
 * {@code <Dial>} (the media stream ends, and so does the agent's part, without completing the call at
 * Twilio: the caller stays on the line with the destination); tones are played in-band on the stream
 * (Twilio's media streams carry no DTMF messages towards the call). Ending the call is the engine's: the
 * {@code end_call} tool's result makes it hang up once the goodbye has played, and that hang-up completes
 * the call over REST, once. REST requests run off the caller's thread.
 */
final class TwilioCallControl implements CallControl {

    private static final Logger log = LoggerFactory.getLogger(TwilioCallControl.class);

    private final TwilioRest rest;
    private final TwilioAccounts.Account account;
    private final String callSid;
    private final TwilioMediaTransport transport;
    private final Runnable transferred;

    TwilioCallControl(TwilioRest rest, TwilioAccounts.Account account, String callSid, TwilioMediaTransport transport,
                      Runnable transferred) {
        this.rest = rest;
        this.account = account;
        this.callSid = callSid;
        this.transport = transport;
        this.transferred = transferred;
    }

    @Override
    public void transfer(String destination) {
        run("transfer", () -> {
            rest.update(account, callSid, Twiml.dial(destination));
            transferred.run();
        });
    }

    @Override
    public void sendDtmf(String digits) {
        transport.playTones(digits);
    }

    @Override
    public void endCall() {
        // Nothing to do before the goodbye has played; see the class comment. Ending here would cut it short.
    }

    private void run(String what, Runnable action) {
        Thread.ofVirtual().name("twilio-control-" + callSid).start(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("Twilio could not {} on call {}: {}", what, callSid, e.getMessage());
            }
        });
    }
}
