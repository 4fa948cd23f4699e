package dev.palaver.server.providers;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;

@RestController
@RequestMapping("/api/v1/provider-credentials")
class ProviderCredentialsController {

    private final ProviderCredentials credentials;

    ProviderCredentialsController(ProviderCredentials credentials) {
        this.credentials = credentials;
    }

    record PutCredential(@NotBlank @Size(max = 500) String apiKey, @Size(max = 500) String baseUrl) {
    }

    @GetMapping
    @Access(role = Role.ADMIN)
    Map<String, List<ProviderCredentials.CredentialView>> list(Caller caller) {
        return Map.of("items", credentials.list(caller.orgId()));
    }

    /** Sets the organization's key for one provider; the answer shows it masked, as every later read does. */
    @PutMapping("/{provider}")
    @Access(role = Role.ADMIN)
    ProviderCredentials.CredentialView put(Caller caller, @PathVariable String provider, @Valid @RequestBody PutCredential body) {
        return credentials.put(caller, provider, body.apiKey().strip(), body.baseUrl());
    }

    @DeleteMapping("/{provider}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(role = Role.ADMIN)
    void delete(Caller caller, @PathVariable String provider) {
        credentials.delete(caller, provider);
    }
}
