package dev.palaver.server.brain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.agents.AgentVersion;
import dev.palaver.server.memory.CallerMemories;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * Text conversations with an agent's real brain, one turn per request, for the dashboard and tests: the
 * same model, tools and flow a call uses, without audio. Tool calls run as the call engine runs them (at
 * most {@value #MAX_TOOL_ROUNDS} rounds a turn, each call bounded by its tool's timeout). Sessions live in
 * memory on this node: at most {@code palaver.brain.test-sessions.max} (the least recently used one is ended
 * to make room), each ended after {@code ttl} without a turn. Ending a session ends the conversation, which
 * updates the caller's memory.
 */
@Service
public class TextTurns implements DisposableBean {

    static final int MAX_TOOL_ROUNDS = 4;
    static final int MAX_TEXT = 4000;
    private static final Duration MODEL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MEMORY_WAIT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(TextTurns.class);

    private final AgentBrains brains;
    private final AgentDefinitions agents;
    private final BrainProperties.TestSessions limits;
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();

    TextTurns(AgentBrains brains, AgentDefinitions agents, BrainProperties props) {
        this.brains = brains;
        this.agents = agents;
        this.limits = props.testSessions();
    }

    public record ToolCallView(String id, String name, String arguments, String result, boolean error) {
    }

    /** One turn's answer; {@code greeting} only on a session's first turn, {@code node} only for flow agents. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Turn(UUID sessionId, String greeting, String reply, List<ToolCallView> toolCalls, String node, boolean ended) {
    }

    private static final class Session {
        final UUID id;
        final UUID orgId;
        final UUID agentId;
        final AgentBrain brain;
        final List<ChatMessage> history = new ArrayList<>();
        final ReentrantLock lock = new ReentrantLock();
        volatile Instant lastUsed = Instant.now();
        boolean ended;

        Session(UUID id, UUID orgId, UUID agentId, AgentBrain brain) {
            this.id = id;
            this.orgId = orgId;
            this.agentId = agentId;
            this.brain = brain;
        }
    }

    public Turn turn(UUID orgId, UUID agentId, UUID sessionId, String text, String callerId, boolean end) {
        String said = text == null ? "" : text.strip();
        if (said.length() > MAX_TEXT) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "text must be at most " + MAX_TEXT + " characters.");
        }
        if (said.isEmpty() && !end) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "text is required.");
        }
        if (callerId != null) {
            CallerMemories.requireCallerId(callerId);
        }
        String greeting = null;
        Session session;
        if (sessionId == null) {
            session = open(orgId, agentId, callerId);
            greeting = session.brain.firstMessage();
        } else {
            session = sessions.get(sessionId);
            if (session == null || !session.orgId.equals(orgId) || !session.agentId.equals(agentId)) {
                throw new ApiException(ErrorCode.NOT_FOUND, "No such test session (it may have expired).");
            }
        }
        session.lock.lock();
        try {
            if (session.ended) {
                throw new ApiException(ErrorCode.NOT_FOUND, "No such test session (it may have expired).");
            }
            session.lastUsed = Instant.now();
            List<ToolCallView> calls = new ArrayList<>();
            String reply = said.isEmpty() ? "" : respond(session, said, calls);
            String node = session.brain.flowNode().orElse(null);
            if (end) {
                end(session, true);
            }
            return new Turn(session.id, greeting, reply, calls, node, end);
        } finally {
            session.lock.unlock();
        }
    }

    private Session open(UUID orgId, UUID agentId, String callerId) {
        AgentVersion agent = agents.current(orgId, agentId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such agent."));
        makeRoom();
        AgentBrain brain = brains.open(new Conversation(orgId, agent, null, callerId, Conversation.Channel.TEXT, null,
                CallControl.NONE));
        Session session = new Session(UUID.randomUUID(), orgId, agentId, brain);
        if (!brain.firstMessage().isBlank()) {
            session.history.add(AssistantMessage.of(brain.firstMessage()));
        }
        sessions.put(session.id, session);
        return session;
    }

    private String respond(Session s, String said, List<ToolCallView> calls) {
        s.history.add(new UserMessage(said));
        ToolExecutorView tools = new ToolExecutorView(s.brain);
        StringBuilder reply = new StringBuilder();
        for (int round = 0; ; round++) {
            boolean toolsAllowed = round < MAX_TOOL_ROUNDS;
            Completion c = complete(s, toolsAllowed ? tools.definitions() : List.of());
            Spoken.append(reply, c.text());
            if (c.error() != null) {
                Spoken.append(reply, "Sorry, I'm having trouble right now.");
                s.history.add(AssistantMessage.of(c.text()));
                return reply.toString();
            }
            if (c.calls().isEmpty() || !toolsAllowed) {
                s.history.add(AssistantMessage.of(c.text()));
                return reply.toString();
            }
            s.history.add(new AssistantMessage(c.text(), c.calls(), false));
            for (ToolCall call : c.calls()) {
                ToolResult result = tools.run(call);
                s.history.add(new ToolMessage(call.id(), call.name(), result.content(), result.error()));
                calls.add(new ToolCallView(call.id(), call.name(), call.argumentsJson(), result.content(), result.error()));
            }
        }
    }

    private record Completion(String text, List<ToolCall> calls, String error) {
    }

    private Completion complete(Session s, List<ToolDefinition> tools) {
        List<ChatMessage> messages = new ArrayList<>();
        if (!s.brain.systemPrompt().isBlank()) {
            messages.add(new SystemMessage(s.brain.systemPrompt()));
        }
        messages.addAll(s.history);
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        CompletableFuture<String> done = new CompletableFuture<>();
        LanguageModel.Stream stream = s.brain.languageModel().stream(new LlmRequest(messages, tools),
                new LanguageModel.Listener() {
                    @Override
                    public void onText(String delta) {
                        synchronized (text) {
                            text.append(delta);
                        }
                    }

                    @Override
                    public void onToolCall(ToolCall call) {
                        synchronized (calls) {
                            calls.add(call);
                        }
                    }

                    @Override
                    public void onDone() {
                        done.complete(null);
                    }

                    @Override
                    public void onError(String message) {
                        done.complete(message == null ? "failed" : message);
                    }
                });
        try {
            String error = done.get(MODEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (text) {
                synchronized (calls) {
                    return new Completion(text.toString().strip(), List.copyOf(calls), error);
                }
            }
        } catch (TimeoutException e) {
            return new Completion("", List.of(), "the model did not answer in time");
        } catch (ExecutionException e) {
            return new Completion("", List.of(), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Completion("", List.of(), "interrupted");
        } finally {
            stream.close();
        }
    }

    /** The brain's tools as the engine uses them: unknown names and non-object arguments are refused first. */
    private record ToolExecutorView(AgentBrain brain) {
        List<ToolDefinition> definitions() {
            return brain.tools().definitions();
        }

        ToolResult run(ToolCall call) {
            ToolDefinition definition = definitions().stream().filter(d -> d.name().equals(call.name())).findFirst()
                    .orElse(null);
            if (definition == null) {
                return ToolResult.error("There is no tool named " + call.name() + ".");
            }
            CompletableFuture<ToolResult> future;
            try {
                future = brain.tools().execute(call);
                return future.get(definition.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return ToolResult.error("The tool " + call.name() + " did not answer within "
                        + definition.timeout().toMillis() + " ms.");
            } catch (ExecutionException e) {
                return ToolResult.error("Tool failed: " + e.getCause().getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ToolResult.error("Tool call interrupted.");
            }
        }
    }

    /** Ends the session: the conversation's memory is written (waited for when {@code wait}), then the brain closes. */
    private void end(Session s, boolean wait) {
        sessions.remove(s.id, s);
        if (s.ended) {
            return;
        }
        s.ended = true;
        try {
            s.brain.conversationEnded(List.copyOf(s.history));
            if (wait && s.brain instanceof ConversationBrain cb) {
                cb.remembered().get(MEMORY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            log.warn("A test session's memory was not written in time: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            s.brain.close();
        }
    }

    private void makeRoom() {
        while (sessions.size() >= limits.max()) {
            sessions.values().stream().min(Comparator.comparing(s -> s.lastUsed)).ifPresent(this::endQuietly);
        }
    }

    private void endQuietly(Session s) {
        if (s.lock.tryLock()) {
            try {
                end(s, false);
            } finally {
                s.lock.unlock();
            }
        } else {
            sessions.remove(s.id, s);
        }
    }

    /** Ends sessions idle for longer than the TTL. */
    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    void expire() {
        expire(Instant.now());
    }

    int expire(Instant now) {
        int n = 0;
        for (Session s : List.copyOf(sessions.values())) {
            if (s.lastUsed.plus(limits.ttl()).isBefore(now)) {
                endQuietly(s);
                n++;
            }
        }
        return n;
    }

    int open() {
        return sessions.size();
    }

    @Override
    public void destroy() {
        List.copyOf(sessions.values()).forEach(this::endQuietly);
    }
}
