package dev.palaver.server.audit;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.platform.web.Page;

@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    @Access(role = Role.ADMIN)
    Page<AuditLog.Entry> list(Caller caller, @RequestParam(required = false) String cursor,
                              @RequestParam(required = false) Integer limit) {
        return audit.list(caller.orgId(), cursor, limit);
    }
}
