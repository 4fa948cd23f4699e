package dev.palaver.server.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.ratelimit.RateLimitedException;
import dev.palaver.server.platform.ratelimit.RateLimiter;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Sign-in sessions. A login opens a session and hands out an access token and a refresh token; each
 * refresh uses up its token and issues the next one (rotation). A refresh token presented twice means it
 * leaked: the whole session (its token family) is revoked and the reuse audited.
 */
@Service
public class Sessions {

    static final Duration SESSION_TTL = Duration.ofDays(30);
    /** Failed sign-ins per account before each further attempt must wait; refilled one a minute. */
    static final RateLimiter.Limit FAILED_LOGINS = new RateLimiter.Limit(5, Duration.ofMinutes(5));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AccessTokens tokens;
    private final AuditLog audit;
    private final RateLimiter limiter;
    private final TransactionTemplate tx;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final Clock clock = Clock.systemUTC();
    private final String dummyHash;

    Sessions(JdbcClient jdbc, PasswordEncoder passwords, AccessTokens tokens, AuditLog audit, RateLimiter limiter,
             TransactionTemplate tx, org.springframework.context.ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.tokens = tokens;
        this.audit = audit;
        this.limiter = limiter;
        this.tx = tx;
        this.events = events;
        this.dummyHash = passwords.encode("not-a-password-" + UUID.randomUUID());
    }

    public record Tokens(String accessToken, String refreshToken, long expiresIn, UUID orgId) {
    }

    private record Account(UUID id, String passwordHash) {
    }

    /**
     * Signs in. Unknown emails and wrong passwords get the same answer, at the same cost; after repeated
     * failures on one email every further attempt is refused with 429 until the back-off has passed.
     */
    public Tokens login(String email, String password, UUID orgId) {
        String throttleKey = "login:" + email.strip().toLowerCase(Locale.ROOT);
        RateLimiter.Decision allowed = limiter.peek(throttleKey, FAILED_LOGINS);
        if (!allowed.allowed()) {
            throw new RateLimitedException(allowed);
        }
        Optional<Account> account = jdbc.sql("select id, password_hash from users where lower(email) = lower(?)")
                .param(email.strip()).query((rs, i) -> new Account(rs.getObject(1, UUID.class), rs.getString(2))).optional();
        boolean ok = passwords.matches(password, account.map(Account::passwordHash).orElse(dummyHash)) && account.isPresent();
        Optional<Membership> membership = ok ? membership(account.get().id(), orgId) : Optional.empty();
        if (!ok || membership.isEmpty()) {
            limiter.tryConsume(throttleKey, FAILED_LOGINS);
            tx.executeWithoutResult(s -> audit.record(membership.map(Membership::orgId).orElse(null), null,
                    "auth.login_failed", "user", account.map(Account::id).orElse(null), Map.of()));
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "The email or password is wrong.");
        }
        UUID userId = account.get().id();
        return tx.execute(s -> {
            Tokens t = open(userId, membership.get());
            audit.record(membership.get().orgId(), Caller.member(membership.get().orgId(), userId,
                    membership.get().role(), null), "auth.login", "user", userId, Map.of());
            return t;
        });
    }

    record Membership(UUID orgId, Role role) {
    }

    private Optional<Membership> membership(UUID userId, UUID orgId) {
        return jdbc.sql("""
                select org_id, role from memberships
                where user_id = :user and (cast(:org as uuid) is null or org_id = :org)
                order by created_at, org_id limit 1""")
                .param("user", userId).param("org", orgId)
                .query((rs, i) -> new Membership(rs.getObject(1, UUID.class), Role.fromWire(rs.getString(2)))).optional();
    }

    private Tokens open(UUID userId, Membership membership) {
        UUID sessionId = Ids.newId();
        jdbc.sql("insert into auth_sessions (id, user_id, org_id, expires_at) values (?, ?, ?, ?)")
                .params(sessionId, userId, membership.orgId(), java.sql.Timestamp.from(clock.instant().plus(SESSION_TTL)))
                .update();
        return issue(userId, membership, sessionId);
    }

    private Tokens issue(UUID userId, Membership membership, UUID sessionId) {
        String refresh = newRefreshToken();
        jdbc.sql("insert into refresh_tokens (token_hash, session_id) values (?, ?)")
                .params(ApiKeys.sha256(refresh), sessionId).update();
        String access = tokens.issue(userId, membership.orgId(), membership.role(), sessionId);
        return new Tokens(access, refresh, AccessTokens.TTL.toSeconds(), membership.orgId());
    }

    private record RefreshRow(UUID sessionId, Instant usedAt, UUID userId, UUID orgId, Instant revokedAt,
                              Instant expiresAt) {
    }

    /** Exchanges a refresh token for a new pair; a reused token revokes its whole family. */
    @Transactional(propagation = Propagation.REQUIRES_NEW, noRollbackFor = ApiException.class)
    public Tokens refresh(String refreshToken) {
        Optional<RefreshRow> found = jdbc.sql("""
                select r.session_id, r.used_at, s.user_id, s.org_id, s.revoked_at, s.expires_at
                from refresh_tokens r join auth_sessions s on s.id = r.session_id
                where r.token_hash = ? for update of r, s""")
                .param(ApiKeys.sha256(refreshToken))
                .query((rs, i) -> new RefreshRow(rs.getObject(1, UUID.class), instant(rs.getTimestamp(2)),
                        rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), instant(rs.getTimestamp(5)),
                        instant(rs.getTimestamp(6))))
                .optional();
        if (found.isEmpty()) {
            throw invalidRefresh();
        }
        RefreshRow row = found.get();
        if (row.usedAt() != null) {
            if (row.revokedAt() == null) {
                revokeSession(row.sessionId(), "refresh_token_reused");
            }
            audit.record(row.orgId(), null, "auth.refresh_reused", "session", row.sessionId(),
                    Map.of("userId", row.userId().toString()));
            throw invalidRefresh();
        }
        if (row.revokedAt() != null || !row.expiresAt().isAfter(clock.instant())) {
            throw invalidRefresh();
        }
        Optional<Membership> membership = membership(row.userId(), row.orgId());
        if (membership.isEmpty()) {
            revokeSession(row.sessionId(), "membership_ended");
            throw invalidRefresh();
        }
        jdbc.sql("update refresh_tokens set used_at = now() where token_hash = ?").param(ApiKeys.sha256(refreshToken)).update();
        return issue(row.userId(), membership.get(), row.sessionId());
    }

    /** Ends the caller's session: its access and refresh tokens stop working. */
    @Transactional
    public void logout(Caller caller) {
        revokeSession(caller.sessionId(), "logout");
        audit.record(caller.orgId(), caller, "auth.logout", "session", caller.sessionId(), Map.of());
    }

    /** Ends every session of a user (password change); with {@code orgId}, only those in that organization. */
    void revokeUserSessions(UUID userId, UUID orgId, String why) {
        jdbc.sql("""
                update auth_sessions set revoked_at = now(), revoked_why = :why
                where user_id = :user and (cast(:org as uuid) is null or org_id = :org) and revoked_at is null""")
                .param("why", why).param("user", userId).param("org", orgId).update();
        events.publishEvent(new CredentialsRevoked(false));
    }

    private void revokeSession(UUID sessionId, String why) {
        jdbc.sql("update auth_sessions set revoked_at = now(), revoked_why = ? where id = ? and revoked_at is null")
                .params(why, sessionId).update();
        events.publishEvent(new CredentialsRevoked(false));
    }

    private static ApiException invalidRefresh() {
        return new ApiException(ErrorCode.UNAUTHENTICATED, "The refresh token is not valid; sign in again.");
    }

    private static String newRefreshToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
