package dev.palaver.server.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.palaver.server.agents.Agents;
import dev.palaver.server.identity.Caller;

/** {@code /}: the organization at a glance. */
@Controller
class OverviewPage {

    private final Agents agents;

    OverviewPage(Agents agents) {
        this.agents = agents;
    }

    @GetMapping("/")
    String overview(Caller caller, Model model) {
        model.addAttribute("agents", agents.list(caller.orgId(), null, 200).items());
        return "overview";
    }
}
