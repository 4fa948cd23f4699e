package dev.palaver.server.telephony;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.Cursor;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

/** An organization's phone numbers, each answered by one agent. Numbers are stored in E.164. */
@Service
class PhoneNumbers {

    record PhoneNumber(UUID id, String number, UUID agentId, Instant createdAt) {
    }

    /** Which organization and agent answer a number. */
    record Route(UUID orgId, UUID agentId) {
    }

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final JdbcClient jdbc;
    private final AgentDefinitions agents;
    private final AuditLog audit;

    PhoneNumbers(JdbcClient jdbc, AgentDefinitions agents, AuditLog audit) {
        this.jdbc = jdbc;
        this.agents = agents;
        this.audit = audit;
    }

    /** {@code value} in E.164, or a 400: it must be a valid number written with its country code. */
    static String e164(String field, String value) {
        if (value == null || value.isBlank() || value.length() > 40) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, field + " is required: a phone number in E.164, e.g. +14155550100.");
        }
        try {
            var parsed = UTIL.parse(value.strip(), "ZZ");
            if (!UTIL.isValidNumber(parsed)) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, field + " is not a valid phone number.");
            }
            return UTIL.format(parsed, PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    field + " must be a phone number with its country code, e.g. +14155550100.");
        }
    }

    Page<PhoneNumber> list(UUID orgId, String cursor, Integer limit) {
        int size = Cursor.limit(limit);
        UUID after = Cursor.decode(cursor);
        List<PhoneNumber> rows = jdbc.sql("""
                select id, number, agent_id, created_at from phone_numbers
                 where org_id = ? and (?::uuid is null or id < ?::uuid) order by id desc limit ?""")
                .params(orgId, after, after, size + 1).query(this::row).list();
        return Page.of(rows, size, PhoneNumber::id);
    }

    @Transactional
    PhoneNumber create(Caller caller, String number, UUID agentId) {
        String e164 = e164("number", number);
        requireAgent(caller.orgId(), agentId);
        UUID id = Ids.newId();
        try {
            jdbc.sql("insert into phone_numbers (org_id, id, number, agent_id) values (?, ?, ?, ?)")
                    .params(caller.orgId(), id, e164, agentId).update();
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.CONFLICT, e164 + " is already in use.");
        }
        audit.record(caller.orgId(), caller, "phone_number.created", "phone_number", id, Map.of("number", e164));
        return get(caller.orgId(), id);
    }

    @Transactional
    PhoneNumber update(Caller caller, UUID id, UUID agentId) {
        get(caller.orgId(), id);
        requireAgent(caller.orgId(), agentId);
        jdbc.sql("update phone_numbers set agent_id = ? where org_id = ? and id = ?").params(agentId, caller.orgId(), id).update();
        audit.record(caller.orgId(), caller, "phone_number.updated", "phone_number", id, Map.of("agentId", agentId));
        return get(caller.orgId(), id);
    }

    @Transactional
    void delete(Caller caller, UUID id) {
        if (jdbc.sql("delete from phone_numbers where org_id = ? and id = ?").params(caller.orgId(), id).update() == 0) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No such phone number.");
        }
        audit.record(caller.orgId(), caller, "phone_number.deleted", "phone_number", id, Map.of());
    }

    PhoneNumber get(UUID orgId, UUID id) {
        return jdbc.sql("select id, number, agent_id, created_at from phone_numbers where org_id = ? and id = ?")
                .params(orgId, id).query(this::row).optional()
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such phone number."));
    }

    /** Who answers {@code number} (any format Twilio sends); empty when it is not ours. */
    Optional<Route> route(String number) {
        String e164;
        try {
            e164 = e164("To", number);
        } catch (ApiException e) {
            return Optional.empty();
        }
        return jdbc.sql("select org_id, agent_id from phone_numbers where number = ?").param(e164)
                .query((rs, n) -> new Route(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).optional();
    }

    /** The organization's first number for {@code agentId}, else its first number: the default caller id. */
    Optional<String> defaultFrom(UUID orgId, UUID agentId) {
        return jdbc.sql("""
                select number from phone_numbers where org_id = ? order by (agent_id = ?) desc, id limit 1""")
                .params(orgId, agentId).query(String.class).optional();
    }

    private void requireAgent(UUID orgId, UUID agentId) {
        if (agentId == null || agents.current(orgId, agentId).isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "agentId must name an agent of this organization.");
        }
    }

    private PhoneNumber row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new PhoneNumber(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                rs.getTimestamp(4).toInstant());
    }
}
