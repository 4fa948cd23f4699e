package dev.palaver.server.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import tools.jackson.databind.ObjectMapper;

import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.Cursor;
import dev.palaver.server.platform.web.Page;
import dev.palaver.server.platform.web.RequestIds;

/**
 * The append-only record of who did what: sign-ins, token reuse, keys, members and every configuration
 * change. Entries are written in the caller's transaction, so a change and its entry land together.
 */
@Service
public class AuditLog {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AuditLog(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public record Entry(UUID id, UUID orgId, UUID actorUser, UUID actorKey, String action, String targetType,
                        String targetId, String ip, String userAgent, String requestId, Map<String, Object> details,
                        Instant createdAt) {
    }

    /** Records an action by {@code caller} (null for anonymous ones such as a failed sign-in). */
    public void record(UUID orgId, Caller caller, String action, String targetType, Object targetId,
                       Map<String, ?> details) {
        HttpServletRequest request = currentRequest();
        jdbc.sql("""
                insert into audit_events (id, org_id, actor_user, actor_key, action, target_type, target_id, ip,
                                          user_agent, request_id, details)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))""")
                .params(Ids.newId(), orgId, caller == null ? null : caller.userId(),
                        caller == null ? null : caller.apiKeyId(), action, targetType,
                        targetId == null ? null : targetId.toString(),
                        request == null ? null : request.getRemoteAddr(),
                        request == null ? null : truncate(request.getHeader("User-Agent"), 300),
                        RequestIds.current(request), json.writeValueAsString(details == null ? Map.of() : details))
                .update();
    }

    /** The organization's entries, newest first. */
    public Page<Entry> list(UUID orgId, String cursor, Integer limit) {
        int n = Cursor.limit(limit);
        UUID after = Cursor.decode(cursor);
        List<Entry> rows = jdbc.sql("""
                select id, org_id, actor_user, actor_key, action, target_type, target_id, ip, user_agent, request_id,
                       details::text as details, created_at
                from audit_events
                where org_id = :org and (cast(:after as uuid) is null or id < :after)
                order by id desc
                limit :n""")
                .param("org", orgId).param("after", after).param("n", n + 1)
                .query((rs, i) -> new Entry(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
                        rs.getObject("actor_user", UUID.class), rs.getObject("actor_key", UUID.class),
                        rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                        rs.getString("ip"), rs.getString("user_agent"), rs.getString("request_id"),
                        readDetails(rs.getString("details")), rs.getTimestamp("created_at").toInstant()))
                .list();
        return Page.of(rows, n, Entry::id);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readDetails(String text) {
        return json.readValue(text, Map.class);
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes s ? s.getRequest() : null;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
