package dev.palaver.server.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * API keys: {@code plv_<prefix>_<secret>}. Only a SHA-256 of the whole key is stored, beside the visible
 * prefix used to find it; the key itself is shown once, at creation.
 */
@Service
public class ApiKeys {

    static final String MARK = "plv_";
    private static final long LAST_USED_EVERY_NANOS = 60_000_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final long cacheNanos;
    private final ConcurrentHashMap<String, CachedKey> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Long> lastUsedWritten = new ConcurrentHashMap<>();

    ApiKeys(JdbcClient jdbc, AuditLog audit, org.springframework.context.ApplicationEventPublisher events,
            dev.palaver.server.platform.config.PalaverProperties props) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.events = events;
        this.cacheNanos = props.revocationCache().toNanos();
    }

    @org.springframework.transaction.event.TransactionalEventListener(fallbackExecution = true)
    void revoked(CredentialsRevoked event) {
        cache.clear();
    }

    public record KeyView(UUID id, String name, String prefix, List<String> scopes, Instant createdAt,
                          Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {
    }

    public record CreatedKey(KeyView key, String secret) {
    }

    private record Row(UUID id, UUID orgId, byte[] hash, Set<String> scopes, Instant expiresAt, Instant revokedAt) {
    }

    private record CachedKey(Optional<Row> row, long checkedAt) {
    }

    @Transactional
    public CreatedKey create(Caller caller, String name, List<String> scopes, Instant expiresAt) {
        for (String scope : scopes) {
            if (!Scopes.ALL.contains(scope)) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "Unknown scope '" + scope + "'; known scopes: "
                        + Scopes.ALL.stream().sorted().toList() + ".");
            }
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "expiresAt must be in the future.");
        }
        String prefix = HexFormat.of().formatHex(randomBytes(6));
        String secret = MARK + prefix + "_" + base62(randomBytes(30));
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into api_keys (id, org_id, name, prefix, key_hash, scopes, created_by, expires_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, caller.orgId(), name, prefix, sha256(secret), scopes.toArray(String[]::new),
                        caller.userId(), expiresAt == null ? null : java.sql.Timestamp.from(expiresAt))
                .update();
        audit.record(caller.orgId(), caller, "api_key.created", "api_key", id, Map.of("name", name, "scopes", scopes));
        return new CreatedKey(find(caller.orgId(), id).orElseThrow(), secret);
    }

    public List<KeyView> list(UUID orgId) {
        return jdbc.sql("""
                select id, name, prefix, scopes, created_at, expires_at, last_used_at, revoked_at
                from api_keys where org_id = ? order by id desc limit 500""")
                .param(orgId).query((rs, i) -> view(rs)).list();
    }

    @Transactional
    public void revoke(Caller caller, UUID id) {
        int n = jdbc.sql("update api_keys set revoked_at = now() where id = ? and org_id = ? and revoked_at is null")
                .params(id, caller.orgId()).update();
        if (n == 0 && find(caller.orgId(), id).isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No such API key.");
        }
        events.publishEvent(new CredentialsRevoked(false));
        audit.record(caller.orgId(), caller, "api_key.revoked", "api_key", id, Map.of());
    }

    /** The caller a presented key stands for, if it is a live key. */
    Optional<Caller> authenticate(String presented) {
        String prefix = prefixOf(presented);
        if (prefix == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        CachedKey cached = cache.get(prefix);
        if (cached == null || now - cached.checkedAt() > cacheNanos) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cached = new CachedKey(load(prefix), now);
            cache.put(prefix, cached);
        }
        Optional<Row> row = cached.row();
        if (row.isEmpty() || !MessageDigest.isEqual(row.get().hash(), sha256(presented))
                || row.get().revokedAt() != null
                || (row.get().expiresAt() != null && !row.get().expiresAt().isAfter(Instant.now()))) {
            return Optional.empty();
        }
        touch(row.get().id(), now);
        return Optional.of(Caller.apiKey(row.get().orgId(), row.get().id(), row.get().scopes()));
    }

    private void touch(UUID id, long now) {
        Long last = lastUsedWritten.get(id);
        if (last == null || now - last > LAST_USED_EVERY_NANOS) {
            lastUsedWritten.put(id, now);
            jdbc.sql("update api_keys set last_used_at = now() where id = ?").param(id).update();
        }
    }

    private Optional<Row> load(String prefix) {
        return jdbc.sql("select id, org_id, key_hash, scopes, expires_at, revoked_at from api_keys where prefix = ?")
                .param(prefix)
                .query((rs, i) -> new Row(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
                        rs.getBytes("key_hash"), Set.of((String[]) rs.getArray("scopes").getArray()),
                        instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("revoked_at"))))
                .optional();
    }

    private Optional<KeyView> find(UUID orgId, UUID id) {
        return jdbc.sql("""
                select id, name, prefix, scopes, created_at, expires_at, last_used_at, revoked_at
                from api_keys where org_id = ? and id = ?""")
                .params(orgId, id).query((rs, i) -> view(rs)).optional();
    }

    private static KeyView view(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new KeyView(rs.getObject("id", UUID.class), rs.getString("name"), MARK + rs.getString("prefix"),
                Arrays.stream((String[]) rs.getArray("scopes").getArray()).sorted().toList(),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("last_used_at")), instant(rs.getTimestamp("revoked_at")));
    }

    static boolean looksLikeKey(String token) {
        return token.startsWith(MARK);
    }

    private static String prefixOf(String key) {
        if (!key.startsWith(MARK) || key.length() > 200) {
            return null;
        }
        int end = key.indexOf('_', MARK.length());
        return end < 0 ? null : key.substring(MARK.length(), end);
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String base62(byte[] bytes) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(alphabet.charAt((b & 0xff) % 62));
        }
        return s.toString();
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
