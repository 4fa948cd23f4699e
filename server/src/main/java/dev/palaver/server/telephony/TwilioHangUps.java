package dev.palaver.server.telephony;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.palaver.server.calls.CallDirection;
import dev.palaver.server.calls.CallRecord;
import dev.palaver.server.calls.ProviderHangUps;

/**
 * Ends at Twilio a call hung up before its media stream connected: an outbound call still queued or
 * ringing is canceled; any other (answered, or an inbound call running our TwiML) is completed. Over REST,
 * off the caller's thread.
 */
@Component
class TwilioHangUps implements ProviderHangUps {

    private static final Logger log = LoggerFactory.getLogger(TwilioHangUps.class);
    private static final Set<String> NOT_ANSWERED = Set.of("queued", "initiated", "ringing");

    private final TwilioAccounts accounts;
    private final TwilioRest rest;

    TwilioHangUps(TwilioAccounts accounts, TwilioRest rest) {
        this.accounts = accounts;
        this.rest = rest;
    }

    @Override
    public void endUnanswered(CallRecord call) {
        String callSid = call.providerCallId();
        if (callSid == null || !callSid.startsWith("CA") || call.direction() == CallDirection.WEB) {
            return;
        }
        boolean ringing = call.direction() == CallDirection.OUTBOUND
                && (call.providerStatus() == null || NOT_ANSWERED.contains(call.providerStatus()));
        accounts.find(call.orgId()).ifPresent(account -> Thread.ofVirtual().name("twilio-cancel-" + callSid).start(() -> {
            try {
                if (ringing) {
                    rest.cancel(account, callSid);
                } else {
                    rest.complete(account, callSid);
                }
            } catch (TwilioRest.TwilioFailure e) {
                log.warn("Twilio could not end call {} hung up before its media: {}", callSid, e.getMessage());
            }
        }));
    }
}
