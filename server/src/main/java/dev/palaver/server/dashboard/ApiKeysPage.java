package dev.palaver.server.dashboard;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.ApiKeys;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/** {@code /api-keys}: the organization's API keys; a new key's secret is shown once, in the creating response. */
@Controller
class ApiKeysPage {

    private final ApiKeys keys;

    ApiKeysPage(ApiKeys keys) {
        this.keys = keys;
    }

    @GetMapping("/api-keys")
    @Access(role = Role.ADMIN)
    String list(Caller caller, Model model) {
        return show(caller, null, model);
    }

    @PostMapping("/api-keys")
    @Access(role = Role.ADMIN)
    String create(Caller caller, @RequestParam(name = "name", defaultValue = "") String name,
                  @RequestParam(name = "scopes", required = false) List<String> scopes, Model model) {
        if (name.isBlank() || name.length() > 100) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Give the key a name of at most 100 characters.");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Choose at least one scope.");
        }
        return show(caller, keys.create(caller, name.strip(), scopes, null), model);
    }

    @PostMapping("/api-keys/{id}/revoke")
    @Access(role = Role.ADMIN)
    String revoke(Caller caller, @PathVariable UUID id) {
        keys.revoke(caller, id);
        return "redirect:/api-keys";
    }

    private String show(Caller caller, ApiKeys.CreatedKey created, Model model) {
        model.addAttribute("keys", keys.list(caller.orgId()));
        model.addAttribute("scopes", Scopes.ALL.stream().sorted().toList());
        model.addAttribute("created", created);
        return "api-keys";
    }
}
