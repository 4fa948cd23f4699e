package dev.palaver.server.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.palaver.server.platform.db.Ids;

/**
 * Organizations, members and credentials made directly in the database of a running Palaver, so tests
 * can have many principals without signing in through the rate-limited endpoint each time.
 */
final class IdentityFixtures {

    static final String PASSWORD = "fixture-password-1234";

    private final JdbcClient jdbc;
    private final AccessTokens tokens;
    private final PasswordEncoder passwords;
    private final ApiKeys apiKeys;
    private final String passwordHash;

    IdentityFixtures(ApplicationContext context) {
        this.jdbc = context.getBean(JdbcClient.class);
        this.tokens = context.getBean(AccessTokens.class);
        this.passwords = context.getBean(PasswordEncoder.class);
        this.apiKeys = context.getBean(ApiKeys.class);
        this.passwordHash = passwords.encode(PASSWORD);
    }

    /** An organization with one member of each role. */
    record Org(UUID id, Map<Role, UUID> users) {
        UUID user(Role role) {
            return users.get(role);
        }
    }

    Org organization() {
        UUID orgId = Ids.newId();
        jdbc.sql("insert into organizations (id, name) values (?, ?)").params(orgId, "Fixture " + orgId).update();
        Map<Role, UUID> users = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            users.put(role, user(orgId, role, role.wire() + "-" + orgId + "@example.test"));
        }
        return new Org(orgId, users);
    }

    UUID user(UUID orgId, Role role, String email) {
        UUID userId = Ids.newId();
        jdbc.sql("insert into users (id, email, password_hash) values (?, ?, ?)").params(userId, email, passwordHash).update();
        jdbc.sql("insert into memberships (org_id, user_id, role) values (?, ?, ?)").params(orgId, userId, role.wire()).update();
        return userId;
    }

    String email(UUID userId) {
        return jdbc.sql("select email from users where id = ?").param(userId).query(String.class).single();
    }

    /** A fresh session and its access token, as a login would make them. */
    String accessToken(Org org, Role role) {
        return accessToken(org.id(), org.user(role), role);
    }

    String accessToken(UUID orgId, UUID userId, Role role) {
        UUID sessionId = session(orgId, userId);
        return tokens.issue(userId, orgId, role, sessionId);
    }

    UUID session(UUID orgId, UUID userId) {
        UUID sessionId = Ids.newId();
        jdbc.sql("insert into auth_sessions (id, user_id, org_id, expires_at) values (?, ?, ?, now() + interval '1 day')")
                .params(sessionId, userId, orgId).update();
        return sessionId;
    }

    /** A token whose session exists but which expired an hour ago (same signing key). */
    String expiredToken(Org org, SigningKeys keys) {
        UUID sessionId = session(org.id(), org.user(Role.OWNER));
        AccessTokens past = new AccessTokens(keys, Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC));
        return past.issue(org.user(Role.OWNER), org.id(), Role.OWNER, sessionId);
    }

    String revokedToken(Org org) {
        UUID sessionId = session(org.id(), org.user(Role.OWNER));
        String token = tokens.issue(org.user(Role.OWNER), org.id(), Role.OWNER, sessionId);
        jdbc.sql("update auth_sessions set revoked_at = now() where id = ?").param(sessionId).update();
        return token;
    }

    String apiKey(Org org, Set<String> scopes) {
        Caller admin = Caller.member(org.id(), org.user(Role.ADMIN), Role.ADMIN, null);
        return apiKeys.create(admin, "fixture", List.copyOf(scopes), null).secret();
    }

    UUID apiKeyId(Org org) {
        Caller admin = Caller.member(org.id(), org.user(Role.ADMIN), Role.ADMIN, null);
        return apiKeys.create(admin, "fixture-target", List.of(Scopes.CALLS_READ), null).key().id();
    }
}
