package dev.palaver.server.identity;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.platform.config.PalaverProperties;

@RestController
class MembersController {

    private final Members members;
    private final PalaverProperties props;

    MembersController(Members members, PalaverProperties props) {
        this.members = members;
        this.props = props;
    }

    record CreateOrganization(@NotBlank @Size(max = 200) String name) {
    }

    record UpdateOrganization(@Size(min = 1, max = 200) String name,
                              @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(100000) Integer rateLimitPerMinute) {
    }

    record Invite(@NotBlank @Email @Size(max = 320) String email, @NotNull Role role) {
    }

    record ChangeRole(@NotNull Role role) {
    }

    record ChangePassword(@NotBlank @Size(max = 1024) String currentPassword, @NotBlank @Size(max = 1024) String newPassword) {
    }

    record Accept(@NotBlank @Size(max = 1024) String password, @Size(max = 200) String displayName) {
    }

    record InvitationCreated(String email, Role role, java.time.Instant expiresAt, String link) {
    }

    @GetMapping("/api/v1/me")
    @Access(role = Role.VIEWER)
    Members.Me me(Caller caller) {
        return members.me(caller);
    }

    @PostMapping("/api/v1/me/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(role = Role.VIEWER)
    void changePassword(Caller caller, @Valid @RequestBody ChangePassword body) {
        members.changePassword(caller, body.currentPassword(), body.newPassword());
    }

    @PostMapping("/api/v1/orgs")
    @ResponseStatus(HttpStatus.CREATED)
    @Access(role = Role.VIEWER)
    Members.Organization createOrganization(Caller caller, @Valid @RequestBody CreateOrganization body) {
        return members.createOrganization(caller, body.name().strip());
    }

    @GetMapping("/api/v1/orgs/current")
    @Access(role = Role.VIEWER)
    Members.OrganizationSettings organization(Caller caller) {
        return members.settings(caller.orgId());
    }

    @PatchMapping("/api/v1/orgs/current")
    @Access(role = Role.OWNER)
    Members.OrganizationSettings updateOrganization(Caller caller, @Valid @RequestBody UpdateOrganization body) {
        return members.updateSettings(caller, body.name() == null ? null : body.name().strip(), body.rateLimitPerMinute());
    }

    @GetMapping("/api/v1/members")
    @Access(role = Role.VIEWER)
    Map<String, List<Members.Member>> list(Caller caller) {
        return Map.of("items", members.list(caller.orgId()));
    }

    /** The link is shown once; only its hash is kept. */
    @PostMapping("/api/v1/members")
    @ResponseStatus(HttpStatus.CREATED)
    @Access(role = Role.ADMIN)
    InvitationCreated invite(Caller caller, @Valid @RequestBody Invite body, HttpServletRequest request) {
        Members.Invitation inv = members.invite(caller, body.email().strip(), body.role());
        return new InvitationCreated(inv.email(), inv.role(), inv.expiresAt(), baseUrl(request) + "/invite/" + inv.token());
    }

    @PatchMapping("/api/v1/members/{userId}")
    @Access(role = Role.ADMIN)
    Members.Member changeRole(Caller caller, @PathVariable UUID userId, @Valid @RequestBody ChangeRole body) {
        return members.changeRole(caller, userId, body.role());
    }

    @DeleteMapping("/api/v1/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(role = Role.ADMIN)
    void remove(Caller caller, @PathVariable UUID userId) {
        members.remove(caller, userId);
    }

    @PostMapping("/api/v1/invitations/{token}/accept")
    @PublicEndpoint("the one-time invitation token in the path is the credential")
    Map<String, UUID> accept(@PathVariable String token, @Valid @RequestBody Accept body) {
        return Map.of("orgId", members.accept(token, body.password(), body.displayName()));
    }

    private String baseUrl(HttpServletRequest request) {
        String configured = props.publicUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.replaceAll("/+$", "");
        }
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
    }
}
