package dev.palaver.server.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/api-keys")
class ApiKeysController {

    private final ApiKeys keys;

    ApiKeysController(ApiKeys keys) {
        this.keys = keys;
    }

    record CreateKey(@NotBlank @Size(max = 100) String name,
                     @NotEmpty @Size(max = 20) List<@NotBlank String> scopes,
                     Instant expiresAt) {
    }

    @GetMapping
    @Access(role = Role.ADMIN)
    Map<String, List<ApiKeys.KeyView>> list(Caller caller) {
        return Map.of("items", keys.list(caller.orgId()));
    }

    /** The response's {@code secret} is the key itself; it is shown only here, once. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Access(role = Role.ADMIN)
    ApiKeys.CreatedKey create(Caller caller, @Valid @RequestBody CreateKey body) {
        return keys.create(caller, body.name().strip(), body.scopes(), body.expiresAt());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(role = Role.ADMIN)
    void revoke(Caller caller, @PathVariable UUID id) {
        keys.revoke(caller, id);
    }
}
