package dev.palaver.server.identity;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private final Sessions sessions;

    AuthController(Sessions sessions) {
        this.sessions = sessions;
    }

    record LoginRequest(@NotBlank @Email @Size(max = 320) String email,
                        @NotBlank @Size(max = 1024) String password,
                        UUID orgId) {
    }

    record RefreshRequest(@NotBlank @Size(max = 200) String refreshToken) {
    }

    @PostMapping("/login")
    @PublicEndpoint("signing in is how a caller gets credentials")
    Sessions.Tokens login(@Valid @RequestBody LoginRequest body) {
        return sessions.login(body.email(), body.password(), body.orgId());
    }

    @PostMapping("/refresh")
    @PublicEndpoint("the refresh token in the body is the credential")
    Sessions.Tokens refresh(@Valid @RequestBody RefreshRequest body) {
        return sessions.refresh(body.refreshToken());
    }

    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(role = Role.VIEWER)
    void logout(Caller caller) {
        sessions.logout(caller);
    }
}
