package dev.palaver.server.telephony;

import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;

/** Starting an outbound phone call. */
@RestController
@Tag(name = "Calls")
class OutboundCallsController {

    record OutboundBody(UUID agentId, String to, String from, Map<String, Object> metadata) {
    }

    private final OutboundCalls calls;

    OutboundCallsController(OutboundCalls calls) {
        this.calls = calls;
    }

    @PostMapping("/api/v1/calls")
    @Access(role = Role.MEMBER, scope = Scopes.CALLS_WRITE)
    @Operation(summary = "Place an outbound phone call through Twilio",
            description = "Requires `Idempotency-Key`: a retry with the same key returns the first call (200) "
                    + "instead of dialling again (201). `from` defaults to the organization's number for the agent.")
    ResponseEntity<OutboundCalls.Placed> place(Caller caller,
                                              @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                              @RequestBody OutboundBody body) {
        OutboundCalls.Placed placed = calls.place(caller.orgId(), key, body.agentId(), body.to(), body.from(),
                body.metadata());
        return ResponseEntity.status(placed.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(placed);
    }
}
