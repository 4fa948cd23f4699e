package dev.palaver.server.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;

/** {@code /audit}: the organization's audit log, newest first, a page at a time. */
@Controller
class AuditPage {

    private final AuditLog audit;

    AuditPage(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/audit")
    @Access(role = Role.ADMIN)
    String list(Caller caller, @RequestParam(name = "cursor", required = false) String cursor, Model model) {
        model.addAttribute("page", audit.list(caller.orgId(), cursor, 50));
        return "audit";
    }
}
