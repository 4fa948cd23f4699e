package dev.palaver.server.dashboard;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.palaver.server.agents.AgentDrafts;
import dev.palaver.server.agents.Agents;
import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.knowledge.KnowledgeBases;

/** {@code /agents} and {@code /agents/{id}}: the agents, one agent's settings and its definition as JSON. */
@Controller
class AgentsPage {

    private final Agents agents;
    private final AgentDrafts drafts;
    private final KnowledgeBases knowledge;

    AgentsPage(Agents agents, AgentDrafts drafts, KnowledgeBases knowledge) {
        this.agents = agents;
        this.drafts = drafts;
        this.knowledge = knowledge;
    }

    @GetMapping("/agents")
    String list(Caller caller, @RequestParam(name = "cursor", required = false) String cursor, Model model) {
        model.addAttribute("page", agents.list(caller.orgId(), cursor, 50));
        return "agents";
    }

    @GetMapping("/agents/{id}")
    String agent(Caller caller, @PathVariable UUID id, Model model) {
        Agents.Stored agent = agents.get(caller.orgId(), id);
        return show(caller, agent, drafts.json(agent.definition()), List.of(), model);
    }

    /** htmx: the validation messages of the draft in the editor, without saving. */
    @PostMapping("/agents/{id}/check")
    String check(Caller caller, @PathVariable UUID id, @RequestParam(name = "definition", defaultValue = "") String definition,
                 Model model) {
        agents.get(caller.orgId(), id);
        model.addAttribute("issues", drafts.check(definition));
        model.addAttribute("checked", true);
        return "agent :: issues";
    }

    @PostMapping("/agents/{id}")
    @Access(role = Role.ADMIN)
    String save(Caller caller, @PathVariable UUID id, @RequestParam(name = "definition", defaultValue = "") String definition,
                @RequestParam(name = "version", required = false) Integer version, Model model,
                HttpServletResponse response) {
        return switch (drafts.save(caller, id, definition, version)) {
            case AgentDrafts.Saved saved -> "redirect:/agents/" + saved.agent().id() + "?saved=" + saved.agent().version();
            case AgentDrafts.Rejected rejected -> {
                response.setStatus(422);
                yield show(caller, agents.get(caller.orgId(), id), definition, rejected.issues(), model);
            }
        };
    }

    private String show(Caller caller, Agents.Stored agent, String draft, List<AgentDrafts.Issue> issues, Model model) {
        Set<UUID> ids = Set.copyOf(agent.definition().knowledgeBaseIds());
        model.addAttribute("agent", agent);
        model.addAttribute("definition", agent.definition());
        model.addAttribute("knowledgeBases", knowledge.list(caller.orgId(), null, 200).items().stream()
                .filter(kb -> ids.contains(kb.id())).toList());
        model.addAttribute("draft", draft);
        model.addAttribute("issues", issues);
        model.addAttribute("checked", !issues.isEmpty());
        model.addAttribute("canEdit", caller.role().atLeast(Role.ADMIN));
        model.addAttribute("canTest", caller.role().atLeast(Role.MEMBER));
        return "agent";
    }
}
