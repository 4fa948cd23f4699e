package dev.palaver.server.telephony;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

/**
 * Telephony configuration: the organization's Twilio account and its phone numbers. Admins (and keys with
 * {@code telephony:write}) change them; the auth token is never shown again, only masked.
 */
@RestController
@Tag(name = "Telephony", description = "Twilio account and phone numbers")
class TelephonyController {

    record TwilioBody(String accountSid, String authToken, String apiBaseUrl) {
    }

    record NumberBody(String number, UUID agentId) {
    }

    record NumberPatch(UUID agentId) {
    }

    private final TwilioAccounts accounts;
    private final PhoneNumbers numbers;

    TelephonyController(TwilioAccounts accounts, PhoneNumbers numbers) {
        this.accounts = accounts;
        this.numbers = numbers;
    }

    @PutMapping("/api/v1/telephony/twilio")
    @Access(role = Role.ADMIN, scope = Scopes.TELEPHONY_WRITE)
    @Operation(summary = "Set the organization's Twilio account",
            description = "`apiBaseUrl` (optional, scheme://host[:port]) points the REST client elsewhere than api.twilio.com.")
    TwilioAccounts.View putTwilio(Caller caller, @RequestBody TwilioBody body) {
        return accounts.put(caller, body.accountSid(), body.authToken(), body.apiBaseUrl());
    }

    @GetMapping("/api/v1/telephony/twilio")
    @Access(role = Role.ADMIN, scope = Scopes.TELEPHONY_WRITE)
    @Operation(summary = "The organization's Twilio account, token masked")
    TwilioAccounts.View getTwilio(Caller caller) {
        return accounts.view(caller.orgId())
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No Twilio account is set."));
    }

    @GetMapping("/api/v1/phone-numbers")
    @Access(role = Role.VIEWER, scope = Scopes.TELEPHONY_WRITE)
    @Operation(summary = "The organization's phone numbers")
    Page<PhoneNumbers.PhoneNumber> listNumbers(Caller caller, @RequestParam(required = false) String cursor,
                                               @RequestParam(required = false) Integer limit) {
        return numbers.list(caller.orgId(), cursor, limit);
    }

    @PostMapping("/api/v1/phone-numbers")
    @Access(role = Role.ADMIN, scope = Scopes.TELEPHONY_WRITE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a phone number answered by an agent", description = "The number is stored in E.164.")
    PhoneNumbers.PhoneNumber createNumber(Caller caller, @RequestBody NumberBody body) {
        return numbers.create(caller, body.number(), body.agentId());
    }

    @PatchMapping("/api/v1/phone-numbers/{id}")
    @Access(role = Role.ADMIN, scope = Scopes.TELEPHONY_WRITE)
    @Operation(summary = "Change which agent answers a number")
    PhoneNumbers.PhoneNumber updateNumber(Caller caller, @PathVariable UUID id, @RequestBody NumberPatch body) {
        return numbers.update(caller, id, body.agentId());
    }

    @DeleteMapping("/api/v1/phone-numbers/{id}")
    @Access(role = Role.ADMIN, scope = Scopes.TELEPHONY_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a phone number")
    void deleteNumber(Caller caller, @PathVariable UUID id) {
        numbers.delete(caller, id);
    }
}
