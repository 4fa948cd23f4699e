package dev.palaver.server.webvoice;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;

/** Publishable keys of an agent, for embedding browser calls in other sites. Admins manage them. */
@RestController
@RequestMapping("/api/v1/agents/{id}/publishable-keys")
class PublishableKeysController {

    private final PublishableKeys keys;

    PublishableKeysController(PublishableKeys keys) {
        this.keys = keys;
    }

    record CreateKey(List<String> allowedOrigins) {
    }

    @Operation(summary = "Create a publishable key for embedding this agent on the listed origins")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Access(role = Role.ADMIN, scope = Scopes.AGENTS_WRITE)
    PublishableKeys.PublishableKey create(Caller caller, @PathVariable UUID id, @RequestBody CreateKey body) {
        return keys.create(caller, id, body == null ? null : body.allowedOrigins());
    }

    @Operation(summary = "The agent's active publishable keys")
    @GetMapping
    @Access(role = Role.VIEWER, scope = Scopes.AGENTS_READ)
    List<PublishableKeys.PublishableKey> list(Caller caller, @PathVariable UUID id) {
        return keys.list(caller.orgId(), id);
    }

    @Operation(summary = "Revoke a publishable key: it mints no more session tokens and its tokens stop working")
    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(role = Role.ADMIN, scope = Scopes.AGENTS_WRITE)
    void revoke(Caller caller, @PathVariable UUID id, @PathVariable UUID keyId) {
        keys.revoke(caller, id, keyId);
    }
}
