package dev.palaver.server.webvoice;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.palaver.server.identity.Caller;

/**
 * The spoken replies of the turn API, kept in PostgreSQL (so any node can serve them) under 256-bit random
 * ids, readable only by the principal that asked (the same member, or the same API key, of the same
 * organization) until they expire; a scheduled cleanup deletes expired ones every
 * {@code palaver.webvoice.cleanup-interval} (default 30 s).
 */
@Component
class ReplyAudio {

    private static final Logger log = LoggerFactory.getLogger(ReplyAudio.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Duration ttl;
    private final Clock clock;

    ReplyAudio(JdbcClient jdbc, WebVoiceProperties properties, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.ttl = properties.turnAudioTtl();
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** Keeps {@code wav} for {@code caller}; returns its id. */
    String keep(Caller caller, UUID agentId, byte[] wav) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("insert into turn_audio (id, org_id, owner, agent_id, content, expires_at) values (?, ?, ?, ?, ?, ?)")
                .params(id, caller.orgId(), TurnSessions.owner(caller), agentId, wav,
                        OffsetDateTime.ofInstant(clock.instant().plus(ttl), ZoneOffset.UTC))
                .update();
        return id;
    }

    /** The audio, if {@code caller} asked for it and it has not expired. */
    Optional<byte[]> find(Caller caller, String id) {
        return jdbc.sql("select content from turn_audio where id = ? and org_id = ? and owner = ? and expires_at > ?")
                .params(id, caller.orgId(), TurnSessions.owner(caller), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .query(byte[].class).optional();
    }

    @Scheduled(fixedDelayString = "${palaver.webvoice.cleanup-interval:30s}", initialDelayString = "${palaver.webvoice.cleanup-interval:30s}")
    void deleteExpired() {
        Instant now = clock.instant();
        int deleted = jdbc.sql("delete from turn_audio where expires_at <= ?")
                .param(OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).update();
        if (deleted > 0) {
            log.debug("Deleted {} expired turn replies", deleted);
        }
    }
}
