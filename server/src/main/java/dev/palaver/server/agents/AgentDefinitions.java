package dev.palaver.server.agents;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import tools.jackson.databind.ObjectMapper;

/**
 * Agents as other features use them (calls, the brain, the CLI): typed definitions, never raw JSON.
 * Everything is scoped to one organization. {@link #current} and {@link #findByName} see only agents that
 * are not deleted (enabled or not: callers decide what a disabled agent means to them); {@link #version}
 * also answers for deleted agents, so a call's record can always show what it ran.
 */
@Service
public class AgentDefinitions {

    private static final String VERSION_COLUMNS = """
            v.org_id, v.agent_id, v.version, v.definition::text as definition, v.created_by_user, v.created_by_key,
            v.created_at""";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AgentDefinitions(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The version an agent is at now; empty when the organization has no such agent or it was deleted. */
    public Optional<AgentVersion> current(UUID orgId, UUID agentId) {
        return jdbc.sql("select " + VERSION_COLUMNS + """
                 from agents a join agent_versions v on v.agent_id = a.id and v.version = a.current_version
                where a.org_id = ? and a.id = ? and a.deleted_at is null""")
                .params(orgId, agentId).query(this::version).optional();
    }

    /** One version of an agent of the organization, even one since deleted. */
    public Optional<AgentVersion> version(UUID orgId, UUID agentId, int version) {
        return jdbc.sql("select " + VERSION_COLUMNS + " from agent_versions v where v.org_id = ? and v.agent_id = ? and v.version = ?")
                .params(orgId, agentId, version).query(this::version).optional();
    }

    /** The current version of the organization's agent of this name (ignoring case); never a deleted one. */
    public Optional<AgentVersion> findByName(UUID orgId, String name) {
        if (name == null) {
            return Optional.empty();
        }
        return jdbc.sql("select " + VERSION_COLUMNS + """
                 from agents a join agent_versions v on v.agent_id = a.id and v.version = a.current_version
                where a.org_id = ? and lower(a.name) = lower(?) and a.deleted_at is null""")
                .params(orgId, name.strip()).query(this::version).optional();
    }

    AgentDefinition read(String stored) {
        return json.readValue(stored, AgentDefinition.class);
    }

    String write(AgentDefinition definition) {
        return json.writeValueAsString(definition);
    }

    private AgentVersion version(ResultSet rs, int row) throws SQLException {
        return new AgentVersion(rs.getObject("org_id", UUID.class), rs.getObject("agent_id", UUID.class),
                rs.getInt("version"), read(rs.getString("definition")), rs.getObject("created_by_user", UUID.class),
                rs.getObject("created_by_key", UUID.class), rs.getTimestamp("created_at").toInstant());
    }
}
