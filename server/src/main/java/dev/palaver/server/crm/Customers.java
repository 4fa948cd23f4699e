package dev.palaver.server.crm;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.Cursor;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

/** An organization's customers. Phone numbers are stored in E.164 and are unique per organization. */
@Service
public class Customers {

    static final int MAX_NAME = 200;
    private static final String COLUMNS = "id, name, phone, email, notes, created_at";

    private final JdbcClient jdbc;
    private final CrmProperties props;

    Customers(JdbcClient jdbc, CrmProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    public record Customer(UUID id, String name, String phone, String email, String notes, Instant createdAt) {
    }

    /**
     * Creates a customer; 400 when the name is blank or the phone number is not valid, 409 when another
     * customer already has the number.
     */
    public Customer create(UUID orgId, String name, String phone, String email, String notes) {
        String cleanName = requireName(name);
        String e164 = phone == null || phone.isBlank() ? null : normalise(phone);
        UUID id = Ids.newId();
        try {
            jdbc.sql("insert into customers (id, org_id, name, phone, email, notes) values (?, ?, ?, ?, ?, ?)")
                    .params(id, orgId, cleanName, e164, blankToNull(email), notes == null ? "" : notes).update();
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.CONFLICT, "Another customer already has the number " + e164 + ".");
        }
        return get(orgId, id).orElseThrow();
    }

    /**
     * The customer with this number, created (with {@code name}) if there is none; a known customer keeps
     * their name. Safe when two conversations do it at once for the same number.
     */
    public Customer findOrCreate(UUID orgId, String name, String phone) {
        String e164 = normalise(phone);
        String cleanName = requireName(name);
        jdbc.sql("""
                insert into customers (id, org_id, name, phone) values (?, ?, ?, ?)
                on conflict (org_id, phone) where phone is not null do nothing""")
                .params(Ids.newId(), orgId, cleanName, e164).update();
        return byPhone(orgId, e164).orElseThrow();
    }

    public Optional<Customer> get(UUID orgId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from customers where org_id = ? and id = ?")
                .params(orgId, id).query(Customers::customer).optional();
    }

    public Optional<Customer> byPhone(UUID orgId, String phone) {
        Optional<String> e164 = PhoneNumbers.e164(phone, props.phoneRegion());
        if (e164.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("select " + COLUMNS + " from customers where org_id = ? and phone = ?")
                .params(orgId, e164.get()).query(Customers::customer).optional();
    }

    /** Customers whose number is {@code phone} or whose name contains {@code name} (ignoring case), at most 10. */
    public List<Customer> find(UUID orgId, String phone, String name) {
        String e164 = phone == null ? null : PhoneNumbers.e164(phone, props.phoneRegion()).orElse(null);
        String pattern = name == null || name.isBlank() ? null : "%" + likeEscape(name.strip().toLowerCase()) + "%";
        if (e164 == null && pattern == null) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + """
                 from customers
                where org_id = :org
                  and ((cast(:phone as text) is not null and phone = :phone)
                       or (cast(:pattern as text) is not null and lower(name) like :pattern escape '\\'))
                order by id desc limit 10""")
                .param("org", orgId).param("phone", e164).param("pattern", pattern)
                .query(Customers::customer).list();
    }

    public Page<Customer> list(UUID orgId, String query, String cursor, Integer limit) {
        int n = Cursor.limit(limit);
        UUID after = Cursor.decode(cursor);
        String pattern = query == null || query.isBlank() ? null : "%" + likeEscape(query.strip().toLowerCase()) + "%";
        List<Customer> rows = jdbc.sql("select " + COLUMNS + """
                 from customers
                where org_id = :org and (cast(:after as uuid) is null or id < :after)
                  and (cast(:pattern as text) is null or lower(name) like :pattern escape '\\' or phone like :pattern)
                order by id desc limit :n""")
                .param("org", orgId).param("after", after).param("pattern", pattern).param("n", n + 1)
                .query(Customers::customer).list();
        return Page.of(rows, n, Customer::id);
    }

    /** {@code phone} in E.164, or 400. */
    String normalise(String phone) {
        return PhoneNumbers.e164(phone, props.phoneRegion()).orElseThrow(() -> new ApiException(
                ErrorCode.VALIDATION_FAILED, "\"" + clip(phone) + "\" is not a valid phone number."));
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The customer's name is required.");
        }
        String clean = name.strip();
        if (clean.length() > MAX_NAME) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The name is longer than " + MAX_NAME + " characters.");
        }
        return clean;
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Customer customer(ResultSet rs, int row) throws SQLException {
        return new Customer(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("phone"),
                rs.getString("email"), rs.getString("notes"), rs.getTimestamp("created_at").toInstant());
    }
}
