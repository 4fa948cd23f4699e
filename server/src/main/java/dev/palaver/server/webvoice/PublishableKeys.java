package dev.palaver.server.webvoice;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Per-agent publishable keys for embedding browser calls in customers' sites. A key is public (it ships in
 * the page); it only lets pages served from its allowed origins mint a short-lived session token for its one
 * agent. Origins are exact ({@code https://shop.example.com}, {@code http://localhost:3000}): no wildcards,
 * paths or trailing slashes.
 */
@Service
class PublishableKeys {

    static final String PREFIX = "pk_";
    static final int MAX_ORIGINS = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    record PublishableKey(UUID id, UUID orgId, UUID agentId, String publishableKey, List<String> allowedOrigins,
                          Instant createdAt) {
        boolean allows(String origin) {
            return origin != null && allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
        }
    }

    private final JdbcClient jdbc;
    private final AgentDefinitions agents;
    private final AuditLog audit;

    PublishableKeys(JdbcClient jdbc, AgentDefinitions agents, AuditLog audit) {
        this.jdbc = jdbc;
        this.agents = agents;
        this.audit = audit;
    }

    @Transactional
    PublishableKey create(Caller caller, UUID agentId, List<String> origins) {
        requireAgent(caller.orgId(), agentId);
        List<String> allowed = origins(origins);
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = Ids.newId();
        jdbc.sql("""
                insert into webvoice_keys (id, org_id, agent_id, publishable_key, allowed_origins)
                values (?, ?, ?, ?, ?)""")
                .params(id, caller.orgId(), agentId, key, allowed.toArray(String[]::new))
                .update();
        audit.record(caller.orgId(), caller, "publishable_key.created", "agent", agentId,
                Map.of("keyId", id.toString(), "allowedOrigins", allowed));
        return find(caller.orgId(), id).orElseThrow();
    }

    List<PublishableKey> list(UUID orgId, UUID agentId) {
        requireAgent(orgId, agentId);
        return jdbc.sql("""
                select * from webvoice_keys where org_id = ? and agent_id = ? and revoked_at is null
                order by id desc limit 100""")
                .params(orgId, agentId).query(ROW).list();
    }

    @Transactional
    void revoke(Caller caller, UUID agentId, UUID keyId) {
        int revoked = jdbc.sql("""
                update webvoice_keys set revoked_at = now()
                where org_id = ? and agent_id = ? and id = ? and revoked_at is null""")
                .params(caller.orgId(), agentId, keyId).update();
        if (revoked == 0) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No such publishable key.");
        }
        audit.record(caller.orgId(), caller, "publishable_key.revoked", "agent", agentId, Map.of("keyId", keyId.toString()));
    }

    /** The active key with this value (any organization: the key itself says which). */
    Optional<PublishableKey> byKey(String publishableKey) {
        if (publishableKey == null || !publishableKey.startsWith(PREFIX) || publishableKey.length() > 80) {
            return Optional.empty();
        }
        return jdbc.sql("select * from webvoice_keys where publishable_key = ? and revoked_at is null")
                .param(publishableKey).query(ROW).optional();
    }

    /** The key if it is still active. */
    Optional<PublishableKey> find(UUID orgId, UUID keyId) {
        return jdbc.sql("select * from webvoice_keys where org_id = ? and id = ? and revoked_at is null")
                .params(orgId, keyId).query(ROW).optional();
    }

    private void requireAgent(UUID orgId, UUID agentId) {
        if (agents.current(orgId, agentId).isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No agent " + agentId + ".");
        }
    }

    /** The allow-list, normalised: each entry an exact origin. */
    static List<String> origins(List<String> origins) {
        if (origins == null || origins.isEmpty() || origins.size() > MAX_ORIGINS) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "allowedOrigins must list 1 to " + MAX_ORIGINS + " origins, e.g. https://www.example.com.");
        }
        var out = new LinkedHashSet<String>();
        for (String origin : origins) {
            out.add(origin(origin));
        }
        return List.copyOf(out);
    }

    private static String origin(String value) {
        String invalid = "\"" + value + "\" is not an origin: write scheme://host[:port], e.g. https://www.example.com"
                + " (no path, no wildcard).";
        if (value == null || value.length() > 200 || value.contains("*")) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, invalid);
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, invalid);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, invalid);
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    }

    private static final RowMapper<PublishableKey> ROW = (rs, n) -> new PublishableKey(
            rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class), rs.getObject("agent_id", UUID.class),
            rs.getString("publishable_key"), strings(rs.getArray("allowed_origins")),
            rs.getTimestamp("created_at").toInstant());

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
