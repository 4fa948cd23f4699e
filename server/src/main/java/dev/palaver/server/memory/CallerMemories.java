package dev.palaver.server.memory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * What agents remember about each caller of an organization: facts (name → value, e.g. {@code name: Ann})
 * and a rolling summary of earlier conversations. Both are bounded: at most {@value #MAX_FACTS} facts of
 * {@value #MAX_VALUE} characters, a summary of at most {@value #MAX_SUMMARY} (the oldest lines go first).
 * A fact is stored as {@code {"value": ..., "seq": n}}: PostgreSQL's jsonb keeps no key order, and the
 * sequence says which facts are oldest when new ones push them out.
 */
@Service
public class CallerMemories {

    public static final int MAX_FACTS = 30;
    public static final int MAX_KEY = 40;
    public static final int MAX_VALUE = 300;
    public static final int MAX_SUMMARY = 2000;
    private static final Pattern CALLER_ID = Pattern.compile("^(\\+[1-9][0-9]{6,14}|web:[A-Za-z0-9._@-]{1,190})$");
    private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,39}$");

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    CallerMemories(JdbcClient jdbc, TransactionTemplate tx, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
    }

    /** {@code facts} oldest first. */
    public record Memory(String callerId, Map<String, String> facts, String summary, Instant updatedAt) {
        public Memory {
            facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        }
    }

    /** Whether {@code callerId} is an E.164 number or {@code web:<userId>}. */
    public static boolean validCallerId(String callerId) {
        return callerId != null && CALLER_ID.matcher(callerId).matches();
    }

    public Optional<Memory> find(UUID orgId, String callerId) {
        if (!validCallerId(callerId)) {
            return Optional.empty();
        }
        return jdbc.sql("select facts::text, summary, updated_at from caller_memories where org_id = ? and caller_id = ?")
                .params(orgId, callerId)
                .query((rs, i) -> new Memory(callerId, readFacts(rs.getString(1)), rs.getString(2),
                        rs.getTimestamp(3).toInstant()))
                .optional();
    }

    /** Replaces the memory (400 when it breaks a bound). */
    public Memory put(UUID orgId, String callerId, Map<String, String> facts, String summary) {
        requireCallerId(callerId);
        Map<String, String> clean = checkFacts(facts);
        String s = summary == null ? "" : summary.strip();
        if (s.length() > MAX_SUMMARY) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "summary must be at most " + MAX_SUMMARY + " characters.");
        }
        write(orgId, callerId, clean, s);
        return find(orgId, callerId).orElseThrow();
    }

    /**
     * Adds what one conversation taught: {@code facts} override earlier ones of the same name (extra ones
     * beyond the bound are dropped, oldest first), {@code summaryLine} is appended to the summary.
     */
    public void remember(UUID orgId, String callerId, Map<String, String> facts, String summaryLine) {
        if (!validCallerId(callerId)) {
            return;
        }
        tx.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtext(?), hashtext(?))").params(orgId.toString(), callerId)
                    .query().singleValue();
            Optional<Memory> current = find(orgId, callerId);
            Map<String, String> merged = new LinkedHashMap<>(current.map(Memory::facts).orElse(Map.of()));
            facts.forEach((k, v) -> {
                String key = k.toLowerCase().replaceAll("[^a-z0-9_]", "_");
                if (KEY.matcher(key).matches() && v != null && !v.isBlank()) {
                    merged.remove(key);
                    merged.put(key, clip(v.strip(), MAX_VALUE));
                }
            });
            while (merged.size() > MAX_FACTS) {
                merged.remove(merged.keySet().iterator().next());
            }
            String summary = current.map(Memory::summary).orElse("");
            if (summaryLine != null && !summaryLine.isBlank()) {
                summary = summary.isEmpty() ? summaryLine.strip() : summary + "\n" + summaryLine.strip();
            }
            while (summary.length() > MAX_SUMMARY && summary.contains("\n")) {
                summary = summary.substring(summary.indexOf('\n') + 1);
            }
            write(orgId, callerId, merged, clip(summary, MAX_SUMMARY));
        });
    }

    public void delete(UUID orgId, String callerId) {
        requireCallerId(callerId);
        int n = jdbc.sql("delete from caller_memories where org_id = ? and caller_id = ?").params(orgId, callerId).update();
        if (n == 0) {
            throw new ApiException(ErrorCode.NOT_FOUND, "Nothing is remembered about this caller.");
        }
    }

    /** Deletes memories unchanged since {@code before}; returns how many. */
    int deleteOlderThan(Instant before) {
        return jdbc.sql("delete from caller_memories where updated_at < ?").params(java.sql.Timestamp.from(before)).update();
    }

    private void write(UUID orgId, String callerId, Map<String, String> facts, String summary) {
        jdbc.sql("""
                insert into caller_memories (org_id, caller_id, facts, summary, updated_at)
                values (?, ?, cast(? as jsonb), ?, now())
                on conflict (org_id, caller_id) do update
                set facts = excluded.facts, summary = excluded.summary, updated_at = now()""")
                .params(orgId, callerId, writeFacts(facts), summary).update();
    }

    private static Map<String, String> checkFacts(Map<String, String> facts) {
        Map<String, String> clean = new LinkedHashMap<>();
        if (facts == null) {
            return clean;
        }
        if (facts.size() > MAX_FACTS) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "At most " + MAX_FACTS + " facts are kept.");
        }
        facts.forEach((k, v) -> {
            if (k == null || !KEY.matcher(k).matches()) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "Fact names are lower-case letters, digits and _"
                        + " (at most " + MAX_KEY + "), starting with a letter.");
            }
            if (v == null || v.isBlank() || v.length() > MAX_VALUE) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "Fact " + k + " must be 1 to " + MAX_VALUE
                        + " characters.");
            }
            clean.put(k, v.strip());
        });
        return clean;
    }

    /** 400 unless {@code callerId} is an E.164 number or {@code web:<userId>}. */
    public static void requireCallerId(String callerId) {
        if (!validCallerId(callerId)) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "callerId must be an E.164 phone number (+14155550100) or web:<userId>.");
        }
    }

    private record StoredFact(String value, long seq) {
    }

    /** The facts, oldest first. */
    private Map<String, String> readFacts(String text) {
        Map<String, StoredFact> stored = json.readValue(text, new TypeReference<Map<String, StoredFact>>() { });
        Map<String, String> out = new LinkedHashMap<>();
        stored.entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(StoredFact::seq)))
                .forEach(e -> out.put(e.getKey(), e.getValue().value()));
        return out;
    }

    private String writeFacts(Map<String, String> facts) {
        Map<String, StoredFact> stored = new LinkedHashMap<>();
        long seq = 0;
        for (Map.Entry<String, String> e : facts.entrySet()) {
            stored.put(e.getKey(), new StoredFact(e.getValue(), seq++));
        }
        return json.writeValueAsString(stored);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
