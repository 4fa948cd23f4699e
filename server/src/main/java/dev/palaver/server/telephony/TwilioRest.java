package dev.palaver.server.telephony;

import java.net.URI;
import java.util.List;

import com.twilio.exception.ApiException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHost;

import org.springframework.stereotype.Component;

/**
 * Twilio's REST API through the official SDK. An account with an {@code apiBaseUrl} has every request
 * routed to that host instead of Twilio's (the SDK still builds its own URLs; only the connection goes
 * elsewhere), which is how tests reach a fake on loopback and how a proxy is put in front.
 */
@Component
class TwilioRest {

    /** A call Twilio created. */
    record Created(String sid, String status) {
    }

    /** Twilio refused or could not be reached; the message is safe to show (no credentials in it). */
    static final class TwilioFailure extends RuntimeException {
        TwilioFailure(String message) {
            super(message);
        }
    }

    Created createCall(TwilioAccounts.Account account, String to, String from, String twiml, String statusCallback) {
        try {
            Call call = Call.creator(new PhoneNumber(to), new PhoneNumber(from), new Twiml(twiml))
                    .setStatusCallback(URI.create(statusCallback))
                    .setStatusCallbackEvent(List.of("initiated", "ringing", "answered", "completed"))
                    .setStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                    .create(client(account));
            return new Created(call.getSid(), call.getStatus() == null ? null : call.getStatus().toString());
        } catch (ApiException e) {
            throw new TwilioFailure("Twilio refused the call: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new TwilioFailure("Twilio could not be reached: " + e.getClass().getSimpleName());
        }
    }

    /** Replaces what the call is doing with {@code twiml} (transfer, DTMF). */
    void update(TwilioAccounts.Account account, String callSid, String twiml) {
        try {
            Call.updater(callSid).setTwiml(new Twiml(twiml)).update(client(account));
        } catch (RuntimeException e) {
            throw new TwilioFailure("Twilio could not update call " + callSid + ": " + e.getMessage());
        }
    }

    /** Ends the call on Twilio's side. */
    void complete(TwilioAccounts.Account account, String callSid) {
        end(account, callSid, Call.UpdateStatus.COMPLETED);
    }

    /** Cancels a call that is still queued or ringing. */
    void cancel(TwilioAccounts.Account account, String callSid) {
        end(account, callSid, Call.UpdateStatus.CANCELED);
    }

    private void end(TwilioAccounts.Account account, String callSid, Call.UpdateStatus status) {
        try {
            Call.updater(callSid).setStatus(status).update(client(account));
        } catch (RuntimeException e) {
            throw new TwilioFailure("Twilio could not end call " + callSid + ": " + e.getMessage());
        }
    }

    private static TwilioRestClient client(TwilioAccounts.Account account) {
        TwilioRestClient.Builder builder = new TwilioRestClient.Builder(account.accountSid(), account.authToken());
        URI base = account.apiBaseUrl();
        if (base != null) {
            boolean secure = "https".equals(base.getScheme());
            HttpHost target = new HttpHost(base.getScheme(), base.getHost(), base.getPort() > 0 ? base.getPort() : (secure ? 443 : 80));
            HttpClientBuilder http = HttpClientBuilder.create()
                    .setRoutePlanner((host, context) -> new HttpRoute(target, null, secure));
            builder.httpClient(new NetworkHttpClient(http));
        }
        return builder.build();
    }
}
