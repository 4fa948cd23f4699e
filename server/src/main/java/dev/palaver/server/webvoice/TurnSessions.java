package dev.palaver.server.webvoice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.server.brain.AgentBrain;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.providers.VoiceStack;

import jakarta.annotation.PreDestroy;

/**
 * The open conversations of the turn API on this node: each keeps its brain (a flow brain remembers where
 * the conversation is), its providers and its history between turns. A conversation belongs to one principal
 * and one agent; it closes after {@link WebVoiceProperties#turnSessionTtl()} without a turn, and the idlest
 * is closed when {@link WebVoiceProperties#maxTurnSessions()} are open. Closing tells the brain the
 * conversation ended (memory extraction) and closes its providers.
 */
@Component
class TurnSessions {

    private static final Logger log = LoggerFactory.getLogger(TurnSessions.class);

    /** One conversation. Turns of one session run one at a time ({@link #lock}). */
    static final class Session {
        final UUID id;
        final UUID orgId;
        final String owner;
        final UUID agentId;
        final AgentBrain brain;
        final VoiceStack stack;
        final List<ChatMessage> history = new ArrayList<>();
        final ReentrantLock lock = new ReentrantLock();
        volatile Instant lastUsed;
        volatile boolean ended;
        private boolean closed;

        Session(UUID id, UUID orgId, String owner, UUID agentId, AgentBrain brain, VoiceStack stack, Instant now) {
            this.id = id;
            this.orgId = orgId;
            this.owner = owner;
            this.agentId = agentId;
            this.brain = brain;
            this.stack = stack;
            this.lastUsed = now;
        }

        /**
         * Starts the history as a call's starts: the brain's system prompt, then its greeting as said (a flow
         * brain reads the conversation so far); returns this session.
         */
        Session primed() {
            String prompt = brain.systemPrompt();
            if (prompt != null && !prompt.isBlank()) {
                history.add(new SystemMessage(prompt));
            }
            String greeting = brain.firstMessage();
            if (greeting != null && !greeting.isBlank()) {
                history.add(AssistantMessage.of(greeting));
            }
            return this;
        }

        void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    brain.conversationEnded(List.copyOf(history));
                } catch (RuntimeException e) {
                    log.warn("The brain failed at the end of turn session {}: {}", id, e.toString());
                }
                brain.close();
                stack.close();
            } finally {
                lock.unlock();
            }
        }
    }

    private final Map<UUID, Session> sessions = new LinkedHashMap<>();
    private final Duration ttl;
    private final int max;
    private final Clock clock;

    TurnSessions(WebVoiceProperties properties, Optional<Clock> clock) {
        this.ttl = properties.turnSessionTtl();
        this.max = properties.maxTurnSessions();
        this.clock = clock.orElse(Clock.systemUTC());
    }

    static String owner(Caller caller) {
        return caller.isApiKey() ? "key:" + caller.apiKeyId() : "user:" + caller.userId();
    }

    /** The caller's open session with that id and agent, if any. */
    Optional<Session> find(Caller caller, UUID agentId, UUID sessionId) {
        synchronized (sessions) {
            Session s = sessions.get(sessionId);
            if (s == null || !s.orgId.equals(caller.orgId()) || !s.owner.equals(owner(caller))
                    || !s.agentId.equals(agentId) || s.ended) {
                return Optional.empty();
            }
            s.lastUsed = clock.instant();
            return Optional.of(s);
        }
    }

    /** Opens a session with what {@code open} builds, closing the idlest one if the node is full. */
    Session open(Caller caller, UUID agentId, Supplier<Opened> open) {
        Opened opened = open.get();
        Session session = new Session(UUID.randomUUID(), caller.orgId(), owner(caller), agentId, opened.brain(),
                opened.stack(), clock.instant());
        Session evicted = null;
        synchronized (sessions) {
            if (sessions.size() >= max) {
                evicted = sessions.values().stream().min(Comparator.comparing(s -> s.lastUsed)).orElseThrow();
                sessions.remove(evicted.id);
            }
            sessions.put(session.id, session);
        }
        if (evicted != null) {
            evicted.close();
        }
        return session;
    }

    record Opened(AgentBrain brain, VoiceStack stack) {
    }

    /** Closes and forgets a session (its conversation is over). */
    void end(Session session) {
        synchronized (sessions) {
            sessions.remove(session.id);
        }
        session.close();
    }

    int size() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    @Scheduled(fixedDelayString = "${palaver.webvoice.cleanup-interval:30s}")
    void closeIdle() {
        Instant cutoff = clock.instant().minus(ttl);
        List<Session> idle = new ArrayList<>();
        synchronized (sessions) {
            sessions.values().removeIf(s -> {
                if (s.lastUsed.isBefore(cutoff) && !s.lock.isLocked()) {
                    idle.add(s);
                    return true;
                }
                return false;
            });
        }
        idle.forEach(Session::close);
    }

    @PreDestroy
    void closeAll() {
        List<Session> all;
        synchronized (sessions) {
            all = new ArrayList<>(sessions.values());
            sessions.clear();
        }
        all.forEach(Session::close);
    }
}
