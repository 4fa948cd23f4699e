package dev.palaver.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class AccessTokensTest {

    static final String OLD_KEY = "the-old-signing-key-0123456789abcdefghij";
    static final String NEW_KEY = "the-new-signing-key-0123456789abcdefghij";
    final Path unused = Path.of("unused");
    final Clock now = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    private String issue(String key, Clock clock) {
        return new AccessTokens(SigningKeys.of(key, List.of(), unused), clock)
                .issue(UUID.randomUUID(), UUID.randomUUID(), Role.ADMIN, UUID.randomUUID());
    }

    @Test
    void aTokenCarriesItsClaimsAndTheKeyId() {
        AccessTokens tokens = new AccessTokens(SigningKeys.of(NEW_KEY, List.of(), unused), now);
        UUID user = UUID.randomUUID();
        UUID org = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        var claims = tokens.verify(tokens.issue(user, org, Role.MEMBER, session)).orElseThrow();
        assertThat(claims.userId()).isEqualTo(user);
        assertThat(claims.orgId()).isEqualTo(org);
        assertThat(claims.role()).isEqualTo(Role.MEMBER);
        assertThat(claims.sessionId()).isEqualTo(session);
        assertThat(claims.expiresAt()).isEqualTo(now.instant().plus(AccessTokens.TTL));
        String header = new String(Base64.getUrlDecoder().decode(tokens.issue(user, org, Role.MEMBER, session).split("\\.")[0]));
        assertThat(header).contains("\"kid\":\"" + SigningKeys.kid(NEW_KEY.getBytes()) + "\"");
    }

    @Test
    void afterRotationTokensSignedWithThePreviousKeyStillVerify() {
        String old = issue(OLD_KEY, now);
        AccessTokens rotated = new AccessTokens(SigningKeys.of(NEW_KEY, List.of(OLD_KEY), unused), now);
        assertThat(rotated.verify(old)).isPresent();
        AccessTokens withoutOld = new AccessTokens(SigningKeys.of(NEW_KEY, List.of(), unused), now);
        assertThat(withoutOld.verify(old)).isEmpty();
    }

    @Test
    void expiredTamperedAndUnsignedTokensAreRefused() {
        AccessTokens tokens = new AccessTokens(SigningKeys.of(NEW_KEY, List.of(), unused), now);
        String expired = issue(NEW_KEY, Clock.fixed(now.instant().minus(AccessTokens.TTL).minusSeconds(1), ZoneOffset.UTC));
        assertThat(tokens.verify(expired)).isEmpty();

        String good = issue(NEW_KEY, now);
        String[] parts = good.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"admin\"", "\"owner\"").getBytes());
        assertThat(tokens.verify(parts[0] + "." + otherPayload + "." + parts[2])).isEmpty();

        String noneHeader = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        assertThat(tokens.verify(noneHeader + "." + parts[1] + ".")).isEmpty();
        assertThat(tokens.verify("garbage")).isEmpty();
        assertThat(tokens.verify(issue(OLD_KEY, now))).isEmpty();
    }

    @Test
    void aSigningKeyShorterThan32BytesIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SigningKeys.of("short", List.of(), unused))
                .hasMessageContaining("at least 32 bytes");
    }

    @Test
    void withoutAConfiguredKeyOneIsGeneratedOnceAndKeptPrivate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        SigningKeys first = SigningKeys.of("", List.of(), dir);
        SigningKeys second = SigningKeys.of(null, List.of(), dir);
        assertThat(second.currentKid()).isEqualTo(first.currentKid());
        Path file = dir.resolve("secrets/token-signing-key");
        assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }
}
