package dev.palaver.server.identity;

import java.util.UUID;

import org.springframework.context.ApplicationContext;

/** For tests of other features: an organization with members, and tokens for them. */
public final class IdentityTestAccess {
    private IdentityTestAccess() {
    }

    public static UUID organization(ApplicationContext context) {
        return new IdentityFixtures(context).organization().id();
    }

    public static String adminToken(ApplicationContext context, UUID orgId) {
        return tokenFor(context, orgId, Role.ADMIN);
    }

    public static String tokenFor(ApplicationContext context, UUID orgId, Role role) {
        IdentityFixtures fixtures = new IdentityFixtures(context);
        UUID userId = fixtures.user(orgId, role, role.wire() + "-" + UUID.randomUUID() + "@example.test");
        return fixtures.accessToken(orgId, userId, role);
    }

    /** A member who can sign in with a password (for the page login). */
    public record Login(UUID orgId, UUID userId, String email, String password) {
    }

    public static Login member(ApplicationContext context, UUID orgId, Role role) {
        IdentityFixtures fixtures = new IdentityFixtures(context);
        String email = role.wire() + "-" + UUID.randomUUID() + "@example.test";
        UUID userId = fixtures.user(orgId, role, email);
        return new Login(orgId, userId, email, IdentityFixtures.PASSWORD);
    }
}
