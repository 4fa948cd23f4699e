package dev.palaver.server.telephony;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Hidden;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.calls.CallDirection;
import dev.palaver.server.calls.CallRecord;
import dev.palaver.server.calls.CallRuntime;
import dev.palaver.server.calls.CallStart;
import dev.palaver.server.calls.CallStatus;
import dev.palaver.server.platform.web.ApiException;

/**
 * Twilio's webhooks: an incoming call ({@code /telephony/twilio/voice}) and call status changes
 * ({@code /telephony/twilio/status}). Both are authenticated by Twilio's signature alone; a request that
 * fails the check gets a bare 403 and changes nothing.
 */
@RestController
@Hidden
class TwilioWebhooks {

    private static final Logger log = LoggerFactory.getLogger(TwilioWebhooks.class);
    static final Duration INBOUND_TOKEN_TTL = Duration.ofSeconds(60);
    static final String NOT_IN_SERVICE = "Sorry, this number is not in service. Goodbye.";
    static final String UNAVAILABLE = "Sorry, no one can take your call right now. Please try again later. Goodbye.";
    static final String BUSY = "Sorry, all our lines are busy right now. Please try again in a few minutes. Goodbye.";

    private final TwilioRequests requests;
    private final PhoneNumbers numbers;
    private final CallRuntime runtime;
    private final StreamTokens tokens;

    TwilioWebhooks(TwilioRequests requests, PhoneNumbers numbers, CallRuntime runtime, StreamTokens tokens) {
        this.requests = requests;
        this.numbers = numbers;
        this.runtime = runtime;
        this.tokens = tokens;
    }

    @PostMapping(path = "/telephony/twilio/voice")
    ResponseEntity<String> voice(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Optional<TwilioRequests.Verified> verified = requests.verify(request, body == null ? new byte[0] : body);
        if (verified.isEmpty()) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }
        TwilioRequests.Verified v = verified.get();
        UUID orgId = v.account().orgId();
        String callSid = v.param("CallSid");
        Optional<CallRecord> known = runtime.findByProviderCallId(callSid).filter(c -> c.orgId().equals(orgId));
        if (known.isPresent()) {
            // Twilio retried the webhook: the same call, a fresh token (the first was never used, or is refused).
            CallRecord call = known.get();
            return call.endedAt() != null || call.answeredAt() != null
                    ? twiml(Twiml.refuse(UNAVAILABLE))
                    : twiml(Twiml.connect(requests.mediaUrl(), tokens.issue(orgId, call.id(), INBOUND_TOKEN_TTL)));
        }
        Optional<PhoneNumbers.Route> route = numbers.route(v.param("To")).filter(r -> r.orgId().equals(orgId));
        if (route.isEmpty()) {
            return twiml(Twiml.refuse(NOT_IN_SERVICE));
        }
        String from = v.param("From");
        UUID callId;
        try {
            String caller = e164OrNull(from);
            callId = runtime.reserve(new CallStart(orgId, route.get().agentId(), CallDirection.INBOUND, caller,
                    e164OrNull(v.param("To")), caller, Map.of("twilioCallSid", String.valueOf(callSid))),
                    CallStatus.RINGING);
        } catch (ApiException e) {
            log.info("Refusing Twilio call {}: {}", callSid, e.getMessage());
            return twiml(Twiml.refuse(switch (e.code()) {
                case CALL_LIMIT_REACHED -> BUSY;
                default -> UNAVAILABLE;
            }));
        }
        runtime.providerCallId(orgId, callId, callSid);
        return twiml(Twiml.connect(requests.mediaUrl(), tokens.issue(orgId, callId, INBOUND_TOKEN_TTL)));
    }

    @PostMapping(path = "/telephony/twilio/status")
    ResponseEntity<Void> status(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        Optional<TwilioRequests.Verified> verified = requests.verify(request, body == null ? new byte[0] : body);
        if (verified.isEmpty()) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }
        TwilioRequests.Verified v = verified.get();
        String status = v.param("CallStatus") == null ? "" : v.param("CallStatus").toLowerCase(Locale.ROOT);
        runtime.findByProviderCallId(v.param("CallSid")).filter(c -> c.orgId().equals(v.account().orgId()))
                .ifPresent(call -> runtime.providerStatus(call.orgId(), call.id(), status, duration(v.param("CallDuration")),
                        finalStatus(status), endReason(status)));
        return ResponseEntity.noContent().build();
    }

    static CallStatus finalStatus(String twilioStatus) {
        return switch (twilioStatus) {
            case "completed" -> CallStatus.COMPLETED;
            case "busy" -> CallStatus.BUSY;
            case "failed" -> CallStatus.FAILED;
            case "no-answer" -> CallStatus.NO_ANSWER;
            case "canceled" -> CallStatus.CANCELED;
            default -> null;
        };
    }

    static String endReason(String twilioStatus) {
        return switch (twilioStatus) {
            case "completed" -> "caller_hung_up";
            case "busy" -> "busy";
            case "failed" -> "failed";
            case "no-answer" -> "no_answer";
            case "canceled" -> "canceled";
            default -> null;
        };
    }

    private static Integer duration(String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String e164OrNull(String number) {
        try {
            return PhoneNumbers.e164("From", number);
        } catch (ApiException e) {
            return null;
        }
    }

    private static ResponseEntity<String> twiml(String xml) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(xml);
    }
}
