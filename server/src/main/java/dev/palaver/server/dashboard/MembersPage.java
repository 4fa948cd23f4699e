package dev.palaver.server.dashboard;

import java.util.Arrays;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Members;
import dev.palaver.server.identity.Role;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/** {@code /members}: who belongs to the organization, with which role; invitations and role changes. */
@Controller
class MembersPage {

    private final Members members;

    MembersPage(Members members) {
        this.members = members;
    }

    @GetMapping("/members")
    String list(Caller caller, Model model) {
        return show(caller, null, model);
    }

    @PostMapping("/members")
    @Access(role = Role.ADMIN)
    String invite(Caller caller, @RequestParam(name = "email", defaultValue = "") String email,
                  @RequestParam(name = "role", defaultValue = "member") String role, Model model) {
        if (email.isBlank() || email.length() > 320 || !email.contains("@")) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Enter the email address to invite.");
        }
        return show(caller, members.invite(caller, email.strip(), role(role)), model);
    }

    @PostMapping("/members/{userId}/role")
    @Access(role = Role.ADMIN)
    String changeRole(Caller caller, @PathVariable UUID userId, @RequestParam(name = "role", defaultValue = "") String role) {
        members.changeRole(caller, userId, role(role));
        return "redirect:/members";
    }

    @PostMapping("/members/{userId}/remove")
    @Access(role = Role.ADMIN)
    String remove(Caller caller, @PathVariable UUID userId) {
        members.remove(caller, userId);
        return "redirect:/members";
    }

    private String show(Caller caller, Members.Invitation invitation, Model model) {
        model.addAttribute("members", members.list(caller.orgId()));
        model.addAttribute("roles", Arrays.stream(Role.values()).map(Role::wire).toList());
        model.addAttribute("canEdit", caller.role().atLeast(Role.ADMIN));
        model.addAttribute("invitation", invitation);
        return "members";
    }

    private static Role role(String wire) {
        try {
            return Role.fromWire(wire);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Unknown role '" + wire + "'.");
        }
    }
}
