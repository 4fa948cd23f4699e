package dev.palaver.server.identity;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Checks a valid access token against the database: its session not revoked, issued after the user's
 * last password change, the user still a member, with the member's current role (a demotion applies at
 * once, not when the token expires). Answers are cached briefly ({@code palaver.revocation-cache},
 * 500 ms): a revocation reaches other nodes within that time, or at once when Redis relays it.
 */
@Component
final class SessionGuard {

    private static final int MAX_ENTRIES = 50_000;

    private final JdbcClient jdbc;
    private final long cacheNanos;
    private final ConcurrentHashMap<UUID, Cached> cache = new ConcurrentHashMap<>();

    SessionGuard(JdbcClient jdbc, dev.palaver.server.platform.config.PalaverProperties props) {
        this.jdbc = jdbc;
        this.cacheNanos = props.revocationCache().toNanos();
    }

    private record Cached(Optional<Role> role, long checkedAt) {
    }

    Optional<Caller> check(AccessTokens.Claims claims) {
        long now = System.nanoTime();
        Cached cached = cache.get(claims.tokenId());
        if (cached == null || now - cached.checkedAt() > cacheNanos) {
            if (cache.size() > MAX_ENTRIES) {
                cache.entrySet().removeIf(e -> now - e.getValue().checkedAt() > cacheNanos);
            }
            cached = new Cached(currentRole(claims), now);
            cache.put(claims.tokenId(), cached);
        }
        return cached.role().map(role -> Caller.member(claims.orgId(), claims.userId(), role, claims.sessionId()));
    }

    private Optional<Role> currentRole(AccessTokens.Claims claims) {
        return jdbc.sql("""
                select m.role
                from auth_sessions s
                join users u on u.id = s.user_id
                join memberships m on m.user_id = s.user_id and m.org_id = s.org_id
                where s.id = :sid and s.user_id = :user and s.org_id = :org
                  and s.revoked_at is null and s.expires_at > now()
                  and date_trunc('second', u.password_changed_at) <= :issued""")
                .param("sid", claims.sessionId()).param("user", claims.userId()).param("org", claims.orgId())
                .param("issued", java.sql.Timestamp.from(claims.issuedAt()))
                .query(String.class).optional().map(Role::fromWire);
    }

    @org.springframework.transaction.event.TransactionalEventListener(fallbackExecution = true)
    void revoked(CredentialsRevoked event) {
        cache.clear();
    }

}
