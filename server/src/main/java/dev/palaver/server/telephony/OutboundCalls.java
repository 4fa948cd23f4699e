package dev.palaver.server.telephony;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.palaver.server.calls.CallDirection;
import dev.palaver.server.calls.CallRuntime;
import dev.palaver.server.calls.CallStart;
import dev.palaver.server.calls.CallStatus;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Outbound phone calls: the record is created (inside the concurrency limit), Twilio is asked to place the
 * call with the media TwiML inline (so an answered call connects its stream like an inbound one) and a
 * status callback, and the Twilio Call SID is kept. An {@code Idempotency-Key} makes a retried request
 * return the first call instead of dialling twice.
 */
@Service
class OutboundCalls {

    private static final Logger log = LoggerFactory.getLogger(OutboundCalls.class);
    /** Ringing plus answering: the stream token must outlive both. */
    static final Duration OUTBOUND_TOKEN_TTL = Duration.ofMinutes(3);

    record Placed(UUID id, String status, String providerCallId, boolean replayed) {
    }

    private final JdbcClient jdbc;
    private final CallRuntime runtime;
    private final TwilioAccounts accounts;
    private final PhoneNumbers numbers;
    private final TwilioRest rest;
    private final TwilioRequests requests;
    private final StreamTokens tokens;

    OutboundCalls(JdbcClient jdbc, CallRuntime runtime, TwilioAccounts accounts, PhoneNumbers numbers, TwilioRest rest,
                  TwilioRequests requests, StreamTokens tokens) {
        this.jdbc = jdbc;
        this.runtime = runtime;
        this.accounts = accounts;
        this.numbers = numbers;
        this.rest = rest;
        this.requests = requests;
        this.tokens = tokens;
    }

    Placed place(UUID orgId, String idempotencyKey, UUID agentId, String to, String from, Map<String, Object> metadata) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "An Idempotency-Key header (1-200 characters) is required.");
        }
        Optional<Placed> earlier = earlier(orgId, idempotencyKey);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (agentId == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "agentId is required.");
        }
        String callee = PhoneNumbers.e164("to", to);
        TwilioAccounts.Account account = accounts.find(orgId).orElseThrow(() -> new ApiException(ErrorCode.CONFLICT,
                "Set the organization's Twilio account first (PUT /api/v1/telephony/twilio)."));
        String caller = from == null || from.isBlank()
                ? numbers.defaultFrom(orgId, agentId).orElseThrow(() -> new ApiException(ErrorCode.VALIDATION_FAILED,
                        "from is required: the organization has no phone number to call from."))
                : PhoneNumbers.e164("from", from);
        if (!requests.configured()) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "PALAVER_PUBLIC_URL is not set: Twilio could not reach the call's media.");
        }
        UUID callId = runtime.reserve(new CallStart(orgId, agentId, CallDirection.OUTBOUND, caller, callee, callee,
                metadata), CallStatus.QUEUED);
        try {
            jdbc.sql("insert into outbound_call_keys (org_id, idempotency_key, call_id) values (?, ?, ?)")
                    .params(orgId, idempotencyKey, callId).update();
        } catch (DuplicateKeyException e) {
            // A concurrent request with the same key won: this one's record goes, theirs is the answer.
            runtime.abandon(orgId, callId, CallStatus.CANCELED, "duplicate_request");
            return earlier(orgId, idempotencyKey).orElseThrow();
        }
        try {
            TwilioRest.Created created = rest.createCall(account, callee, caller,
                    Twiml.connect(requests.mediaUrl(), tokens.issue(orgId, callId, OUTBOUND_TOKEN_TTL)),
                    requests.publicUrl("/telephony/twilio/status"));
            runtime.providerCallId(orgId, callId, created.sid());
            return new Placed(callId, CallStatus.QUEUED.wire(), created.sid(), false);
        } catch (TwilioRest.TwilioFailure e) {
            log.warn("Outbound call {} failed at Twilio: {}", callId, e.getMessage());
            runtime.abandon(orgId, callId, CallStatus.FAILED, "provider_rejected");
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    private Optional<Placed> earlier(UUID orgId, String key) {
        return jdbc.sql("""
                select c.id, c.status, c.provider_call_id from outbound_call_keys k join calls c on c.id = k.call_id
                 where k.org_id = ? and k.idempotency_key = ?""")
                .params(orgId, key)
                .query((rs, n) -> new Placed(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), true))
                .optional();
    }
}
