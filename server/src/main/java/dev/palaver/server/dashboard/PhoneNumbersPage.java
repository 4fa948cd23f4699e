package dev.palaver.server.dashboard;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.palaver.server.agents.Agents;
import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.telephony.PhoneNumbers;

/** {@code /phone-numbers}: the organization's numbers and the agent answering each; admins add, re-route, remove. */
@Controller
class PhoneNumbersPage {

    private final PhoneNumbers numbers;
    private final Agents agents;

    PhoneNumbersPage(PhoneNumbers numbers, Agents agents) {
        this.numbers = numbers;
        this.agents = agents;
    }

    @GetMapping("/phone-numbers")
    String list(Caller caller, @RequestParam(name = "cursor", required = false) String cursor, Model model) {
        var agentList = agents.list(caller.orgId(), null, 200).items();
        Map<UUID, String> names = agentList.stream().collect(Collectors.toMap(Agents.Summary::id, Agents.Summary::name));
        model.addAttribute("page", numbers.list(caller.orgId(), cursor, 50));
        model.addAttribute("agents", agentList);
        model.addAttribute("agentNames", names);
        model.addAttribute("canEdit", caller.role().atLeast(Role.ADMIN));
        return "phone-numbers";
    }

    @PostMapping("/phone-numbers")
    @Access(role = Role.ADMIN)
    String add(Caller caller, @RequestParam(name = "number", defaultValue = "") String number,
               @RequestParam(name = "agentId", defaultValue = "") String agentId) {
        numbers.create(caller, number, agent(agentId));
        return "redirect:/phone-numbers";
    }

    @PostMapping("/phone-numbers/{id}/agent")
    @Access(role = Role.ADMIN)
    String route(Caller caller, @PathVariable UUID id, @RequestParam(name = "agentId", defaultValue = "") String agentId) {
        numbers.update(caller, id, agent(agentId));
        return "redirect:/phone-numbers";
    }

    @PostMapping("/phone-numbers/{id}/delete")
    @Access(role = Role.ADMIN)
    String delete(Caller caller, @PathVariable UUID id) {
        numbers.delete(caller, id);
        return "redirect:/phone-numbers";
    }

    private static UUID agent(String id) {
        try {
            return UUID.fromString(id.strip());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Choose the agent that answers the number.");
        }
    }
}
