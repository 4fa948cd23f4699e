package dev.palaver.server.dashboard;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.palaver.server.brain.TextTurns;
import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * The agent page's text test panel (htmx): one turn of {@code POST /api/v1/agents/{id}/test-turns}'s
 * conversation service with the page's session; tools run for real, so members and up only.
 */
@Controller
class TestPanel {

    private final TextTurns turns;

    TestPanel(TextTurns turns) {
        this.turns = turns;
    }

    @PostMapping("/agents/{id}/test-turns")
    @Access(role = Role.MEMBER)
    String turn(Caller caller, @PathVariable UUID id, @RequestParam(name = "sessionId", required = false) String sessionId,
                @RequestParam(name = "text", defaultValue = "") String text, Model model) {
        UUID session;
        try {
            session = sessionId == null || sessionId.isBlank() ? null : UUID.fromString(sessionId);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The test conversation id is not valid; start again.");
        }
        model.addAttribute("said", text.strip());
        model.addAttribute("turn", turns.turn(caller.orgId(), id, session, text,
                "web:" + caller.userId(), false));
        return "test-turn";
    }
}
