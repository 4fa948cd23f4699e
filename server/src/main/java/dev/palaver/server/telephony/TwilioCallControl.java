package dev.palaver.server.telephony;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.palaver.server.brain.CallControl;

/**
 * Call control on a Twilio call, over the REST API: a transfer replaces the call's TwiML with a
 * {@code <Dial>} (the media stream ends, and so does the agent's part); tones are played in-band on the
 * stream (Twilio's media streams carry no DTMF messages towards the call); ending the call ends it from
 * our side, which completes it over REST. REST requests run off the caller's thread.
 */
final class TwilioCallControl implements CallControl {

    private static final Logger log = LoggerFactory.getLogger(TwilioCallControl.class);

    private final TwilioRest rest;
    private final TwilioAccounts.Account account;
    private final String callSid;
    private final TwilioMediaTransport transport;
    private final Consumer<String> endCall;

    TwilioCallControl(TwilioRest rest, TwilioAccounts.Account account, String callSid, TwilioMediaTransport transport,
                      Consumer<String> endCall) {
        this.rest = rest;
        this.account = account;
        this.callSid = callSid;
        this.transport = transport;
        this.endCall = endCall;
    }

    @Override
    public void transfer(String destination) {
        run("transfer", () -> {
            rest.update(account, callSid, Twiml.dial(destination));
            endCall.accept("transferred");
        });
    }

    @Override
    public void sendDtmf(String digits) {
        transport.playTones(digits);
    }

    @Override
    public void endCall() {
        endCall.accept("agent_hung_up");
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
