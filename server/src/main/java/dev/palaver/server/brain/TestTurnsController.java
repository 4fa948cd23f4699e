package dev.palaver.server.brain;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;

/**
 * One turn of an agent's real brain, as text: the dashboard's test chat and the tests' way in. Tools act
 * for real (a booking books), so members may do it (API keys with calls:write).
 */
@RestController
@Tag(name = "Agents")
class TestTurnsController {

    private final TextTurns turns;

    TestTurnsController(TextTurns turns) {
        this.turns = turns;
    }

    /**
     * @param sessionId absent to start a conversation (the answer's {@code greeting} is the agent's first message)
     * @param text      what the caller says
     * @param callerId  who is calling, for memory and bookings (E.164 or {@code web:<userId>}); first turn only
     * @param end       end the conversation after this turn (memory is updated before the answer)
     */
    record TurnRequest(UUID sessionId, String text, String callerId, Boolean end) {
    }

    @PostMapping("/api/v1/agents/{id}/test-turns")
    @Access(role = Role.MEMBER, scope = Scopes.CALLS_WRITE)
    @Operation(summary = "One text turn with the agent's real brain (tools run for real; sessions expire)")
    TextTurns.Turn turn(Caller caller, @PathVariable UUID id, @RequestBody TurnRequest body) {
        return turns.turn(caller.orgId(), id, body.sessionId(), body.text(), body.callerId(),
                Boolean.TRUE.equals(body.end()));
    }
}
