package dev.palaver.server.webvoice;

import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import dev.palaver.server.agents.Agents;
import dev.palaver.server.dashboard.DashboardPage;
import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;

/**
 * {@code /agents/{id}/talk}: a browser call with one of the organization's agents, for members and above
 * (viewers only read).
 * The page's script opens {@code /webvoice}, which takes the page's sign-in (same origin only).
 */
@Controller
@DashboardPage
class TalkPage {

    private final Agents agents;

    TalkPage(Agents agents) {
        this.agents = agents;
    }

    @GetMapping("/agents/{id}/talk")
    @Access(role = Role.MEMBER)
    String talk(Caller caller, @PathVariable UUID id, Model model) {
        Agents.Stored agent = agents.get(caller.orgId(), id);
        model.addAttribute("agentId", agent.id());
        model.addAttribute("agentName", agent.definition().name());
        return "talk";
    }
}
