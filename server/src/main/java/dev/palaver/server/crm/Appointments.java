package dev.palaver.server.crm;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.Cursor;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

/**
 * Appointments of an organization's customers. Two appointments of one resource never overlap: the
 * database's exclusion constraint refuses the second (also when both are booked at the same instant),
 * and that refusal becomes {@link ErrorCode#SLOT_TAKEN}.
 */
@Service
public class Appointments {

    public static final String DEFAULT_RESOURCE = "default";
    static final Duration MAX_DURATION = Duration.ofDays(1);
    /** PostgreSQL's SQLSTATE for a violated exclusion constraint. */
    private static final String EXCLUSION_VIOLATION = "23P01";
    private static final String COLUMNS = """
            a.id, a.customer_id, c.name as customer_name, c.phone as customer_phone, a.resource, a.service,
            a.starts_at, a.ends_at, a.notes, a.call_id, a.created_at""";

    private final JdbcClient jdbc;
    private final CrmProperties props;

    Appointments(JdbcClient jdbc, CrmProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    public record Appointment(UUID id, UUID customerId, String customerName, String customerPhone, String resource,
                              String service, Instant startsAt, Instant endsAt, String notes, UUID callId,
                              Instant createdAt) {
    }

    /** What to book. {@code resource} null means {@value #DEFAULT_RESOURCE}; {@code callId} may be null. */
    public record Booking(UUID customerId, String resource, String service, Instant startsAt, Instant endsAt,
                          String notes, UUID callId) {
    }

    /** Books; 404 for an unknown customer, 400 for a bad time range, {@code slot_taken} (409) when it overlaps. */
    public Appointment book(UUID orgId, Booking b) {
        String resource = resource(b.resource());
        checkRange(b.startsAt(), b.endsAt());
        UUID id = Ids.newId();
        int inserted;
        try {
            inserted = jdbc.sql("""
                    insert into appointments (id, org_id, customer_id, resource, service, starts_at, ends_at, notes, call_id)
                    select ?, ?, c.id, ?, ?, ?, ?, ?, ? from customers c where c.org_id = ? and c.id = ?""")
                    .params(id, orgId, resource, text(b.service(), 200, "service"), ts(b.startsAt()), ts(b.endsAt()),
                            text(b.notes(), 2000, "notes"), b.callId(), orgId, b.customerId())
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw translate(e);
        }
        if (inserted == 0) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No such customer.");
        }
        return get(orgId, id).orElseThrow();
    }

    /** Changes what is given (null leaves a field as it is); the same rules as {@link #book}. */
    public Appointment update(UUID orgId, UUID id, Instant startsAt, Instant endsAt, String resource, String service,
                              String notes) {
        Appointment current = get(orgId, id).orElseThrow(Appointments::notFound);
        Instant start = startsAt != null ? startsAt : current.startsAt();
        Instant end = endsAt != null ? endsAt
                : startsAt != null ? startsAt.plus(Duration.between(current.startsAt(), current.endsAt())) : current.endsAt();
        checkRange(start, end);
        try {
            jdbc.sql("""
                    update appointments set starts_at = ?, ends_at = ?, resource = ?, service = ?, notes = ?, updated_at = now()
                    where org_id = ? and id = ?""")
                    .params(ts(start), ts(end), resource == null ? current.resource() : resource(resource),
                            service == null ? current.service() : text(service, 200, "service"),
                            notes == null ? current.notes() : text(notes, 2000, "notes"), orgId, id)
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw translate(e);
        }
        return get(orgId, id).orElseThrow(Appointments::notFound);
    }

    /** Cancels (deletes) the appointment; 404 when there is none. */
    public Appointment cancel(UUID orgId, UUID id) {
        Appointment current = get(orgId, id).orElseThrow(Appointments::notFound);
        jdbc.sql("delete from appointments where org_id = ? and id = ?").params(orgId, id).update();
        return current;
    }

    public Optional<Appointment> get(UUID orgId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from appointments a join customers c on c.id = a.customer_id"
                        + " where a.org_id = ? and a.id = ?")
                .params(orgId, id).query(Appointments::appointment).optional();
    }

    /** Appointments starting in [from, to) (either may be null), optionally of one resource or customer, newest id first. */
    public Page<Appointment> list(UUID orgId, Instant from, Instant to, String resource, UUID customerId, String cursor,
                                  Integer limit) {
        int n = Cursor.limit(limit);
        UUID after = Cursor.decode(cursor);
        List<Appointment> rows = jdbc.sql("select " + COLUMNS + """
                 from appointments a join customers c on c.id = a.customer_id
                where a.org_id = :org and (cast(:after as uuid) is null or a.id < :after)
                  and (cast(:from as timestamptz) is null or a.starts_at >= :from)
                  and (cast(:to as timestamptz) is null or a.starts_at < :to)
                  and (cast(:resource as text) is null or a.resource = :resource)
                  and (cast(:customer as uuid) is null or a.customer_id = :customer)
                order by a.id desc limit :n""")
                .param("org", orgId).param("after", after).param("from", ts(from)).param("to", ts(to))
                .param("resource", resource).param("customer", customerId).param("n", n + 1)
                .query(Appointments::appointment).list();
        return Page.of(rows, n, Appointment::id);
    }

    /** The customer's appointments that have not started yet, soonest first (at most 10). */
    public List<Appointment> upcoming(UUID orgId, UUID customerId, Instant now) {
        return jdbc.sql("select " + COLUMNS + """
                 from appointments a join customers c on c.id = a.customer_id
                where a.org_id = ? and a.customer_id = ? and a.starts_at >= ?
                order by a.starts_at limit 10""")
                .params(orgId, customerId, ts(now)).query(Appointments::appointment).list();
    }

    /** Whether the time lies within opening hours (in the business's time zone) on an open day. */
    public boolean withinOpeningHours(Instant start, Instant end) {
        ZonedDateTime s = start.atZone(props.timeZone());
        ZonedDateTime e = end.atZone(props.timeZone());
        return props.openDays().contains(s.getDayOfWeek()) && s.toLocalDate().equals(e.toLocalDate())
                && !s.toLocalTime().isBefore(props.opensAt()) && !e.toLocalTime().isAfter(props.closesAt());
    }

    /**
     * Free start times of {@code duration} on {@code date} (on the slot grid, within opening hours, not in
     * the past), earliest first, at most {@code max}.
     */
    public List<Instant> freeSlots(UUID orgId, String resource, LocalDate date, Duration duration, Instant now, int max) {
        List<Instant> free = new ArrayList<>();
        if (!props.openDays().contains(date.getDayOfWeek())) {
            return free;
        }
        ZonedDateTime open = date.atTime(props.opensAt()).atZone(props.timeZone());
        ZonedDateTime close = date.atTime(props.closesAt()).atZone(props.timeZone());
        List<Instant[]> busy = jdbc.sql("""
                select starts_at, ends_at from appointments
                where org_id = ? and resource = ? and starts_at < ? and ends_at > ? order by starts_at""")
                .params(orgId, resource(resource), ts(close.toInstant()), ts(open.toInstant()))
                .query((rs, i) -> new Instant[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()})
                .list();
        for (ZonedDateTime t = open; !t.plus(duration).isAfter(close) && free.size() < max;
             t = t.plusMinutes(props.slotMinutes())) {
            Instant s = t.toInstant();
            Instant e = s.plus(duration);
            if (s.isBefore(now)) {
                continue;
            }
            boolean clash = busy.stream().anyMatch(b -> s.isBefore(b[1]) && e.isAfter(b[0]));
            if (!clash) {
                free.add(s);
            }
        }
        return free;
    }

    /**
     * Free start times near {@code wanted}: the closest ones on the same day, else the first ones of the next
     * open days (looking two weeks ahead), at most {@code max}.
     */
    public List<Instant> alternatives(UUID orgId, String resource, Instant wanted, Duration duration, Instant now, int max) {
        LocalDate day = wanted.atZone(props.timeZone()).toLocalDate();
        List<Instant> sameDay = new ArrayList<>(freeSlots(orgId, resource, day, duration, now, 100));
        sameDay.sort((a, b) -> Long.compare(Math.abs(Duration.between(wanted, a).toMinutes()),
                Math.abs(Duration.between(wanted, b).toMinutes())));
        List<Instant> out = new ArrayList<>(sameDay.subList(0, Math.min(max, sameDay.size())));
        out.sort(null);
        for (int i = 1; i <= 14 && out.size() < max; i++) {
            out.addAll(freeSlots(orgId, resource, day.plusDays(i), duration, now, max - out.size()));
        }
        return out;
    }

    public CrmProperties settings() {
        return props;
    }

    private static RuntimeException translate(DataIntegrityViolationException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && EXCLUSION_VIOLATION.equals(sql.getSQLState())) {
                return new ApiException(ErrorCode.SLOT_TAKEN,
                        "The time overlaps another appointment of this resource.");
            }
        }
        return e;
    }

    private static void checkRange(Instant start, Instant end) {
        if (start == null || end == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "startsAt and endsAt are required.");
        }
        if (!end.isAfter(start)) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "endsAt must be after startsAt.");
        }
        if (Duration.between(start, end).compareTo(MAX_DURATION) > 0) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "An appointment lasts at most one day.");
        }
    }

    private static String resource(String resource) {
        if (resource == null || resource.isBlank()) {
            return DEFAULT_RESOURCE;
        }
        String r = resource.strip();
        if (r.length() > 100) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "resource is longer than 100 characters.");
        }
        return r;
    }

    private static String text(String value, int max, String field) {
        String v = value == null ? "" : value.strip();
        if (v.length() > max) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, field + " is longer than " + max + " characters.");
        }
        return v;
    }

    private static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "No such appointment.");
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Appointment appointment(ResultSet rs, int row) throws SQLException {
        return new Appointment(rs.getObject("id", UUID.class), rs.getObject("customer_id", UUID.class),
                rs.getString("customer_name"), rs.getString("customer_phone"), rs.getString("resource"),
                rs.getString("service"), rs.getTimestamp("starts_at").toInstant(), rs.getTimestamp("ends_at").toInstant(),
                rs.getString("notes"), rs.getObject("call_id", UUID.class), rs.getTimestamp("created_at").toInstant());
    }
}
