package dev.palaver.server.dashboard;

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
import dev.palaver.server.providers.ProviderCredentials;

/** {@code /settings}: the organization's name and its provider credentials (only masked hints are ever shown). */
@Controller
class SettingsPage {

    private final Members members;
    private final ProviderCredentials credentials;

    SettingsPage(Members members, ProviderCredentials credentials) {
        this.members = members;
        this.credentials = credentials;
    }

    @GetMapping("/settings")
    @Access(role = Role.ADMIN)
    String show(Caller caller, Model model) {
        model.addAttribute("organization", members.settings(caller.orgId()));
        model.addAttribute("credentials", credentials.list(caller.orgId()));
        model.addAttribute("providers", ProviderCredentials.PROVIDERS.stream().sorted().toList());
        model.addAttribute("isOwner", caller.role().atLeast(Role.OWNER));
        return "settings";
    }

    @PostMapping("/settings/organization")
    @Access(role = Role.OWNER)
    String rename(Caller caller, @RequestParam(name = "name", defaultValue = "") String name) {
        if (name.isBlank() || name.length() > 200) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Give the organization a name of at most 200 characters.");
        }
        members.updateSettings(caller, name.strip(), null);
        return "redirect:/settings?saved";
    }

    @PostMapping("/settings/providers")
    @Access(role = Role.ADMIN)
    String putCredential(Caller caller, @RequestParam(name = "provider", defaultValue = "") String provider,
                         @RequestParam(name = "apiKey", defaultValue = "") String apiKey,
                         @RequestParam(name = "baseUrl", defaultValue = "") String baseUrl) {
        if (apiKey.isBlank() || apiKey.length() > 4096) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Enter the provider's API key.");
        }
        credentials.put(caller, provider, apiKey.strip(), baseUrl.isBlank() ? null : baseUrl.strip());
        return "redirect:/settings?saved";
    }

    @PostMapping("/settings/providers/{provider}/delete")
    @Access(role = Role.ADMIN)
    String deleteCredential(Caller caller, @PathVariable String provider) {
        credentials.delete(caller, provider);
        return "redirect:/settings?saved";
    }
}
