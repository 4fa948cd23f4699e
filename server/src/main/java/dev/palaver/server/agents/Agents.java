package dev.palaver.server.agents;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.Cursor;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

/**
 * Creating, changing and deleting agents. Each save writes a new immutable version and moves the agent
 * to it, in one transaction with its audit entry. Deleting only marks the agent: its versions stay.
 */
@Service
public class Agents {

    private final JdbcClient jdbc;
    private final AgentDefinitions definitions;
    private final AuditLog audit;

    Agents(JdbcClient jdbc, AgentDefinitions definitions, AuditLog audit) {
        this.jdbc = jdbc;
        this.definitions = definitions;
        this.audit = audit;
    }

    /** An agent at its current version. */
    public record Stored(UUID id, int version, AgentDefinition definition, Instant createdAt, Instant updatedAt) {
    }

    public record Summary(UUID id, String name, String brain, boolean enabled, String language, int version,
                   Instant createdAt, Instant updatedAt) {
    }

    record VersionSummary(int version, String name, UUID createdByUser, UUID createdByApiKey, Instant createdAt) {
    }

    private record VersionRow(UUID id, VersionSummary summary) {
    }

    /** The organization's agents (not deleted), newest first. */
    public Page<Summary> list(UUID orgId, String cursor, Integer limit) {
        int n = Cursor.limit(limit);
        UUID after = Cursor.decode(cursor);
        List<Summary> rows = jdbc.sql("""
                select a.id, a.name, v.definition->>'brain' as brain, (v.definition->>'enabled')::boolean as enabled,
                       v.definition->>'language' as language, a.current_version, a.created_at, a.updated_at
                from agents a join agent_versions v on v.agent_id = a.id and v.version = a.current_version
                where a.org_id = :org and a.deleted_at is null and (cast(:after as uuid) is null or a.id < :after)
                order by a.id desc
                limit :n""")
                .param("org", orgId).param("after", after).param("n", n + 1)
                .query((rs, i) -> new Summary(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("brain"), rs.getBoolean("enabled"), rs.getString("language"),
                        rs.getInt("current_version"), instant(rs, "created_at"), instant(rs, "updated_at")))
                .list();
        return Page.of(rows, n, Summary::id);
    }

    public Stored get(UUID orgId, UUID id) {
        return jdbc.sql("""
                select a.id, a.current_version, a.created_at, a.updated_at, v.definition::text as definition
                from agents a join agent_versions v on v.agent_id = a.id and v.version = a.current_version
                where a.org_id = ? and a.id = ? and a.deleted_at is null""")
                .params(orgId, id)
                .query((rs, i) -> new Stored(rs.getObject("id", UUID.class), rs.getInt("current_version"),
                        definitions.read(rs.getString("definition")), instant(rs, "created_at"), instant(rs, "updated_at")))
                .optional().orElseThrow(Agents::notFound);
    }

    @Transactional
    Stored create(Caller caller, AgentDefinition definition) {
        UUID id = Ids.newId();
        try {
            jdbc.sql("insert into agents (id, org_id, name, current_version) values (?, ?, ?, 1)")
                    .params(id, caller.orgId(), definition.name()).update();
        } catch (DuplicateKeyException e) {
            throw nameTaken(e);
        }
        insertVersion(caller, id, 1, definition);
        audit.record(caller.orgId(), caller, "agent.created", "agent", id, Map.of("name", definition.name(), "version", 1));
        return get(caller.orgId(), id);
    }

    /**
     * Saves {@code definition} as the agent's next version. With {@code expectedVersion} (from If-Match) the
     * save happens only if the agent is still at that version; concurrent saves without one each get their
     * own version, in the order they commit.
     */
    @Transactional
    public Stored update(Caller caller, UUID id, AgentDefinition definition, Integer expectedVersion) {
        Integer version;
        try {
            version = jdbc.sql("""
                    update agents set current_version = current_version + 1, name = :name, updated_at = now()
                    where id = :id and org_id = :org and deleted_at is null
                      and (cast(:expected as integer) is null or current_version = :expected)
                    returning current_version""")
                    .param("name", definition.name()).param("id", id).param("org", caller.orgId())
                    .param("expected", expectedVersion)
                    .query(Integer.class).optional().orElse(null);
        } catch (DuplicateKeyException e) {
            throw nameTaken(e);
        }
        if (version == null) {
            int current = jdbc.sql("select current_version from agents where id = ? and org_id = ? and deleted_at is null")
                    .params(id, caller.orgId()).query(Integer.class).optional().orElseThrow(Agents::notFound);
            throw new ApiException(ErrorCode.CONFLICT, "The agent is at version " + current + ", not " + expectedVersion
                    + " (If-Match); fetch it again and reapply your change.");
        }
        insertVersion(caller, id, version, definition);
        audit.record(caller.orgId(), caller, "agent.updated", "agent", id, Map.of("name", definition.name(), "version", version));
        return get(caller.orgId(), id);
    }

    @Transactional
    void delete(Caller caller, UUID id) {
        String name = jdbc.sql("""
                update agents set deleted_at = now(), updated_at = now()
                where id = ? and org_id = ? and deleted_at is null
                returning name""")
                .params(id, caller.orgId()).query(String.class).optional().orElseThrow(Agents::notFound);
        audit.record(caller.orgId(), caller, "agent.deleted", "agent", id, Map.of("name", name));
    }

    /** The agent's versions, newest first; 404 for a deleted agent (its versions stay readable through {@link AgentDefinitions}). */
    Page<VersionSummary> versions(UUID orgId, UUID agentId, String cursor, Integer limit) {
        int n = Cursor.limit(limit);
        UUID after = Cursor.decode(cursor);
        requireLive(orgId, agentId);
        List<VersionRow> rows = jdbc.sql("""
                select id, version, definition->>'name' as name, created_by_user, created_by_key, created_at
                from agent_versions
                where org_id = :org and agent_id = :agent
                  and (cast(:after as uuid) is null
                       or version < (select version from agent_versions where id = :after and agent_id = :agent))
                order by version desc
                limit :n""")
                .param("org", orgId).param("agent", agentId).param("after", after).param("n", n + 1)
                .query((rs, i) -> new VersionRow(rs.getObject("id", UUID.class), new VersionSummary(rs.getInt("version"),
                        rs.getString("name"), rs.getObject("created_by_user", UUID.class),
                        rs.getObject("created_by_key", UUID.class), instant(rs, "created_at"))))
                .list();
        Page<VersionRow> page = Page.of(rows, n, VersionRow::id);
        return new Page<>(page.items().stream().map(VersionRow::summary).toList(), page.nextCursor());
    }

    /** One version of a live agent. */
    AgentVersion version(UUID orgId, UUID agentId, int version) {
        requireLive(orgId, agentId);
        return definitions.version(orgId, agentId, version).orElseThrow(
                () -> new ApiException(ErrorCode.NOT_FOUND, "The agent has no version " + version + "."));
    }

    private void requireLive(UUID orgId, UUID agentId) {
        jdbc.sql("select 1 from agents where id = ? and org_id = ? and deleted_at is null")
                .params(agentId, orgId).query(Integer.class).optional().orElseThrow(Agents::notFound);
    }

    private void insertVersion(Caller caller, UUID agentId, int version, AgentDefinition definition) {
        jdbc.sql("""
                insert into agent_versions (id, agent_id, org_id, version, definition, created_by_user, created_by_key)
                values (?, ?, ?, ?, cast(? as jsonb), ?, ?)""")
                .params(Ids.newId(), agentId, caller.orgId(), version, definitions.write(definition), caller.userId(),
                        caller.apiKeyId())
                .update();
    }

    private static RuntimeException nameTaken(DuplicateKeyException e) {
        if (e.getMessage() == null || !e.getMessage().contains("agents_name_per_org")) {
            return e;
        }
        return new InvalidAgentException(ErrorCode.CONFLICT, "Another agent of this organization has this name.",
                List.of(new FieldError("name", "is already used by another agent")));
    }

    private static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "No such agent.");
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
