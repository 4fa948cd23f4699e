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
}
