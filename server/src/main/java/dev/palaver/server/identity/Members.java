package dev.palaver.server.identity;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Organizations and who belongs to them. Admins manage members and viewers; only owners create or
 * demote admins and owners; an organization always keeps at least one owner.
 */
@Service
public class Members {

    static final Duration INVITATION_TTL = Duration.ofDays(7);
    static final int MIN_PASSWORD_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final PasswordEncoder passwords;
    private final Sessions sessions;
    private final org.springframework.context.ApplicationEventPublisher events;

    Members(JdbcClient jdbc, AuditLog audit, PasswordEncoder passwords, Sessions sessions,
            org.springframework.context.ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.passwords = passwords;
        this.sessions = sessions;
        this.events = events;
    }

    /** An organization's settings changed. */
    public record OrganizationChanged(UUID orgId) {
    }

    public record Member(UUID userId, String email, String displayName, Role role, Instant joinedAt) {
    }

    public record Invitation(String email, Role role, Instant expiresAt, String token) {
    }

    public record Organization(UUID id, String name, Role role) {
    }

    public record Me(UUID userId, String email, String displayName, UUID orgId, Role role,
                     List<Organization> organizations) {
    }

    public Me me(Caller caller) {
        var user = jdbc.sql("select email, display_name from users where id = ?").param(caller.userId())
                .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)}).single();
        List<Organization> orgs = jdbc.sql("""
                select o.id, o.name, m.role from memberships m join organizations o on o.id = m.org_id
                where m.user_id = ? order by m.created_at""")
                .param(caller.userId())
                .query((rs, i) -> new Organization(rs.getObject(1, UUID.class), rs.getString(2), Role.fromWire(rs.getString(3))))
                .list();
        return new Me(caller.userId(), user[0], user[1], caller.orgId(), caller.role(), orgs);
    }

    @Transactional
    public Organization createOrganization(Caller caller, String name) {
        UUID id = Ids.newId();
        jdbc.sql("insert into organizations (id, name) values (?, ?)").params(id, name).update();
        jdbc.sql("insert into memberships (org_id, user_id, role) values (?, ?, 'owner')").params(id, caller.userId()).update();
        audit.record(id, caller, "organization.created", "organization", id, Map.of("name", name));
        return new Organization(id, name, Role.OWNER);
    }

    public record OrganizationSettings(UUID id, String name, Integer rateLimitPerMinute) {
    }

    public OrganizationSettings settings(UUID orgId) {
        return jdbc.sql("select id, name, rate_limit_per_minute from organizations where id = ?").param(orgId)
                .query((rs, i) -> new OrganizationSettings(rs.getObject(1, UUID.class), rs.getString(2),
                        (Integer) rs.getObject(3)))
                .single();
    }

    /** Renames the organization and/or sets its own API rate limit (null keeps the current value). */
    @Transactional
    public OrganizationSettings updateSettings(Caller caller, String name, Integer rateLimitPerMinute) {
        OrganizationSettings before = settings(caller.orgId());
        jdbc.sql("update organizations set name = coalesce(?, name), rate_limit_per_minute = coalesce(?, rate_limit_per_minute) where id = ?")
                .params(name, rateLimitPerMinute, caller.orgId()).update();
        OrganizationSettings after = settings(caller.orgId());
        var changes = new java.util.LinkedHashMap<String, Object>();
        if (!java.util.Objects.equals(before.name(), after.name())) {
            changes.put("name", after.name());
        }
        if (!java.util.Objects.equals(before.rateLimitPerMinute(), after.rateLimitPerMinute())) {
            changes.put("rateLimitPerMinute", after.rateLimitPerMinute());
        }
        audit.record(caller.orgId(), caller, "organization.updated", "organization", caller.orgId(), changes);
        events.publishEvent(new OrganizationChanged(caller.orgId()));
        return after;
    }

    public List<Member> list(UUID orgId) {
        return jdbc.sql("""
                select u.id, u.email, u.display_name, m.role, m.created_at
                from memberships m join users u on u.id = m.user_id
                where m.org_id = ? order by m.created_at limit 1000""")
                .param(orgId).query((rs, i) -> new Member(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        Role.fromWire(rs.getString(4)), rs.getTimestamp(5).toInstant())).list();
    }

    @Transactional
    public Invitation invite(Caller caller, String email, Role role) {
        requireMayGrant(caller, role);
        if (role == Role.OWNER) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Invite as admin, then promote to owner.");
        }
        boolean already = jdbc.sql("""
                select exists (select 1 from memberships m join users u on u.id = m.user_id
                               where m.org_id = ? and lower(u.email) = lower(?))""")
                .params(caller.orgId(), email).query(Boolean.class).single();
        if (already) {
            throw new ApiException(ErrorCode.CONFLICT, "That person is already a member.");
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant expires = Instant.now().plus(INVITATION_TTL);
        jdbc.sql("insert into invitations (token_hash, org_id, email, role, invited_by, expires_at) values (?, ?, ?, ?, ?, ?)")
                .params(ApiKeys.sha256(token), caller.orgId(), email, role.wire(), caller.userId(), java.sql.Timestamp.from(expires))
                .update();
        audit.record(caller.orgId(), caller, "member.invited", "invitation", email, Map.of("role", role.wire()));
        return new Invitation(email, role, expires, token);
    }

    /**
     * Accepts an invitation: an existing account (same email) must give its password; otherwise the
     * account is created with the given password. Returns the new member's organization.
     */
    @Transactional
    public UUID accept(String token, String password, String displayName) {
        record Pending(UUID orgId, String email, Role role) {
        }
        Pending p = jdbc.sql("""
                select org_id, email, role from invitations
                where token_hash = ? and accepted_at is null and expires_at > now() for update""")
                .param(ApiKeys.sha256(token))
                .query((rs, i) -> new Pending(rs.getObject(1, UUID.class), rs.getString(2), Role.fromWire(rs.getString(3))))
                .optional().orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "This invitation is not valid or has expired."));
        Optional<UUID[]> existing = jdbc.sql("select id, password_hash from users where lower(email) = lower(?)").param(p.email())
                .query((rs, i) -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2)})
                .optional().map(row -> {
                    if (!passwords.matches(password, (String) row[1])) {
                        throw new ApiException(ErrorCode.UNAUTHENTICATED, "Give the password of your existing account.");
                    }
                    return new UUID[] {(UUID) row[0]};
                });
        UUID userId = existing.map(a -> a[0]).orElseGet(() -> {
            requireStrongPassword(password);
            UUID id = Ids.newId();
            jdbc.sql("insert into users (id, email, password_hash, display_name) values (?, ?, ?, ?)")
                    .params(id, p.email(), passwords.encode(password), displayName).update();
            return id;
        });
        jdbc.sql("insert into memberships (org_id, user_id, role) values (?, ?, ?) on conflict do nothing")
                .params(p.orgId(), userId, p.role().wire()).update();
        jdbc.sql("update invitations set accepted_at = now() where token_hash = ?").param(ApiKeys.sha256(token)).update();
        audit.record(p.orgId(), Caller.member(p.orgId(), userId, p.role(), null), "member.joined", "user", userId,
                Map.of("role", p.role().wire()));
        return p.orgId();
    }

    @Transactional
    public Member changeRole(Caller caller, UUID userId, Role role) {
        Role current = roleOf(caller.orgId(), userId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such member."));
        requireMayGrant(caller, current);
        requireMayGrant(caller, role);
        if (current == Role.OWNER && role != Role.OWNER) {
            requireAnotherOwner(caller.orgId(), userId);
        }
        jdbc.sql("update memberships set role = ? where org_id = ? and user_id = ?")
                .params(role.wire(), caller.orgId(), userId).update();
        audit.record(caller.orgId(), caller, "member.role_changed", "user", userId,
                Map.of("from", current.wire(), "to", role.wire()));
        return list(caller.orgId()).stream().filter(m -> m.userId().equals(userId)).findFirst().orElseThrow();
    }

    @Transactional
    public void remove(Caller caller, UUID userId) {
        Role current = roleOf(caller.orgId(), userId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such member."));
        requireMayGrant(caller, current);
        if (current == Role.OWNER) {
            requireAnotherOwner(caller.orgId(), userId);
        }
        jdbc.sql("delete from memberships where org_id = ? and user_id = ?").params(caller.orgId(), userId).update();
        sessions.revokeUserSessions(userId, caller.orgId(), "membership_ended");
        audit.record(caller.orgId(), caller, "member.removed", "user", userId, Map.of("role", current.wire()));
    }

    @Transactional
    public void changePassword(Caller caller, String currentPassword, String newPassword) {
        String hash = jdbc.sql("select password_hash from users where id = ?").param(caller.userId()).query(String.class).single();
        if (!passwords.matches(currentPassword, hash)) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "The current password is wrong.");
        }
        requireStrongPassword(newPassword);
        // Truncated to whole seconds: tokens carry whole-second issue times, and the new session's token
        // must count as issued after the change.
        jdbc.sql("update users set password_hash = ?, password_changed_at = date_trunc('second', now()) where id = ?")
                .params(passwords.encode(newPassword), caller.userId()).update();
        sessions.revokeUserSessions(caller.userId(), null, "password_changed");
        audit.record(caller.orgId(), caller, "user.password_changed", "user", caller.userId(), Map.of());
    }

    private Optional<Role> roleOf(UUID orgId, UUID userId) {
        return jdbc.sql("select role from memberships where org_id = ? and user_id = ?").params(orgId, userId)
                .query(String.class).optional().map(Role::fromWire);
    }

    private static void requireMayGrant(Caller caller, Role role) {
        Role needed = role.atLeast(Role.ADMIN) ? Role.OWNER : Role.ADMIN;
        if (!caller.role().atLeast(needed)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only " + needed.wire() + "s may manage " + role.wire() + "s.");
        }
    }

    private void requireAnotherOwner(UUID orgId, UUID leaving) {
        long owners = jdbc.sql("select count(*) from memberships where org_id = ? and role = 'owner' and user_id <> ?")
                .params(orgId, leaving).query(Long.class).single();
        if (owners == 0) {
            throw new ApiException(ErrorCode.CONFLICT, "An organization needs at least one owner.");
        }
    }

    static void requireStrongPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > 1024) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "A password needs at least " + MIN_PASSWORD_LENGTH + " characters.");
        }
    }
}
