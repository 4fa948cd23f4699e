package dev.palaver.server.crm;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/** Messages callers leave for the organization (the {@code take_message} tool). */
@Service
public class Messages {

    static final int MAX_TEXT = 4000;

    private final JdbcClient jdbc;
    private final CrmProperties props;

    Messages(JdbcClient jdbc, CrmProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    public record Message(UUID id, UUID customerId, String callerName, String phone, String text, UUID callId,
                          Instant createdAt) {
    }

    /** Stores a message; {@code phone} is normalised to E.164 when it is a valid number, else dropped. */
    public Message take(UUID orgId, UUID customerId, String callerName, String phone, String text, UUID callId) {
        if (text == null || text.isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The message is empty.");
        }
        String clean = text.strip();
        if (clean.length() > MAX_TEXT) {
            clean = clean.substring(0, MAX_TEXT);
        }
        String name = callerName == null ? "" : callerName.strip();
        if (name.length() > 200) {
            name = name.substring(0, 200);
        }
        String e164 = PhoneNumbers.e164(phone, props.phoneRegion()).orElse(null);
        UUID id = Ids.newId();
        jdbc.sql("insert into messages (id, org_id, customer_id, caller_name, phone, text, call_id) values (?, ?, ?, ?, ?, ?, ?)")
                .params(id, orgId, customerId, name, e164, clean, callId).update();
        return new Message(id, customerId, name, e164, clean, callId, Instant.now());
    }

    /** The organization's latest messages, newest first. */
    public List<Message> latest(UUID orgId, int limit) {
        return jdbc.sql("""
                select id, customer_id, caller_name, phone, text, call_id, created_at from messages
                where org_id = ? order by id desc limit ?""")
                .params(orgId, limit)
                .query((rs, i) -> new Message(rs.getObject("id", UUID.class), rs.getObject("customer_id", UUID.class),
                        rs.getString("caller_name"), rs.getString("phone"), rs.getString("text"),
                        rs.getObject("call_id", UUID.class), rs.getTimestamp("created_at").toInstant()))
                .list();
    }
}
