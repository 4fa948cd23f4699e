package dev.palaver.server.calls;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import jakarta.annotation.PreDestroy;

import tools.jackson.databind.ObjectMapper;

import dev.palaver.media.call.CallSession;
import dev.palaver.media.call.CallSettings;
import dev.palaver.media.time.SystemScheduler;
import dev.palaver.media.transport.Transport;
import dev.palaver.server.agents.AgentDefinitions;
import dev.palaver.server.agents.AgentVersion;
import dev.palaver.server.brain.AgentBrain;
import dev.palaver.server.brain.AgentBrains;
import dev.palaver.server.brain.CallControl;
import dev.palaver.server.brain.Conversation;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.providers.ProviderStacks;
import dev.palaver.server.providers.VoiceStack;

/**
 * Runs calls for every transport (Twilio media streams, browser sockets, the CLI's simulated caller): see
 * the package documentation for the life of a call.
 */
@Service
public class CallRuntime {

    private static final Logger log = LoggerFactory.getLogger(CallRuntime.class);

    private final AgentDefinitions agents;
    private final ProviderStacks stacks;
    private final AgentBrains brains;
    private final CallRecords records;
    private final CallEventWriter writer;
    private final Recordings recordings;
    private final CallNodes nodes;
    private final CallVoiceActivity vad;
    private final ObjectMapper json;
    private final CallMetrics metrics;
    private final ObjectProvider<ProviderHangUps> providerHangUps;
    private final int defaultConcurrentLimit;
    private final SystemScheduler scheduler = new SystemScheduler();
    private final Map<UUID, RunningCall> live = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService hangUpPoller =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("palaver-call-hangups").factory());

    CallRuntime(AgentDefinitions agents, ProviderStacks stacks, AgentBrains brains, CallRecords records,
                CallEventWriter writer, Recordings recordings, CallNodes nodes, CallVoiceActivity vad, ObjectMapper json,
                CallMetrics metrics, ObjectProvider<ProviderHangUps> providerHangUps,
                @Value("${palaver.calls.max-concurrent-per-org:20}") int defaultConcurrentLimit) {
        this.agents = agents;
        this.stacks = stacks;
        this.brains = brains;
        this.records = records;
        this.writer = writer;
        this.recordings = recordings;
        this.nodes = nodes;
        this.vad = vad;
        this.json = json;
        this.metrics = metrics;
        this.providerHangUps = providerHangUps;
        metrics.watchActive(live);
        this.defaultConcurrentLimit = defaultConcurrentLimit;
        hangUpPoller.scheduleWithFixedDelay(this::pollHangUps, HANGUP_POLL.toMillis(), HANGUP_POLL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** How often a node looks for hang-ups asked of another node for the calls it holds. */
    static final Duration HANGUP_POLL = Duration.ofSeconds(1);

    private void pollHangUps() {
        if (live.isEmpty()) {
            return;
        }
        try {
            for (UUID id : records.hangUpsRequested(nodes.nodeId())) {
                RunningCall call = live.get(id);
                if (call != null) {
                    call.hangUp();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Looking for requested hang-ups failed: {}", e.toString());
        }
    }

    /**
     * Hangs up an open call wherever it runs: at once on this node; at once, too, if its media has not
     * attached yet (the reservation ends as canceled, the telephony provider lets go of the call, and its
     * stream is refused if it still connects); else within {@link #HANGUP_POLL} on the node that holds it.
     * False if the organization has no such open call.
     */
    public boolean hangUp(UUID orgId, UUID callId) {
        Optional<LiveCall> here = live(orgId, callId);
        if (here.isPresent()) {
            here.get().hangUp();
            return true;
        }
        if (endUnanswered(orgId, callId, CallStatus.CANCELED, RunningCall.HANGUP_REQUESTED)) {
            records.find(orgId, callId).ifPresent(call -> providerHangUps.orderedStream()
                    .forEach(provider -> provider.endUnanswered(call)));
            return true;
        }
        return records.requestHangUp(orgId, callId);
    }

    /**
     * Creates the call's record and runs it on {@code transport} at once.
     *
     * @throws ApiException not found (no such agent), conflict (agent disabled), call limit reached, or
     *                      service unavailable (the agent's providers cannot run); no call runs then
     */
    public LiveCall start(CallStart start, Transport transport, CallControl control) {
        return start(start, transport, control, CallObserver.NONE);
    }

    /** Like {@link #start(CallStart, Transport, CallControl)}, with {@code observer} watching the call as it runs. */
    public LiveCall start(CallStart start, Transport transport, CallControl control, CallObserver observer) {
        UUID callId = reserve(start, CallStatus.IN_PROGRESS);
        return attach(start.orgId(), callId, transport, control, observer);
    }

    /**
     * Creates the record of a call whose media comes later (a phone call that rings first): it counts
     * against the organization's limit from now on. Follow with {@link #attach} or {@link #abandon}.
     *
     * @return the call id
     */
    public UUID reserve(CallStart start, CallStatus initial) {
        AgentVersion agent = agents.current(start.orgId(), start.agentId())
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such agent."));
        if (!agent.definition().enabled()) {
            throw new ApiException(ErrorCode.CONFLICT, "The agent is disabled.");
        }
        if (json.writeValueAsString(start.metadata()).length() > 16_384) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "metadata must be at most 16 KB as JSON.");
        }
        UUID callId = Ids.newId();
        records.insertWithinLimit(start.orgId(), callId, start, agent.version(),
                initial, nodes.nodeId(), defaultConcurrentLimit);
        return callId;
    }

    /** Ends a reserved call that never got media (no answer, busy, failed, canceled). Idempotent. */
    public boolean abandon(UUID orgId, UUID callId, CallStatus status, String endReason) {
        RunningCall running = live.get(callId);
        if (running != null) {
            running.end(endReason);
            return false;
        }
        return endUnanswered(orgId, callId, status, endReason);
    }

    private boolean endUnanswered(UUID orgId, UUID callId, CallStatus status, String endReason) {
        Optional<CallDirection> ended = records.endUnanswered(orgId, callId, status, endReason);
        ended.ifPresent(direction -> metrics.ended(direction, endReason));
        return ended.isPresent();
    }

    /** Records the telephony provider's id of a reserved call (e.g. a Twilio Call SID). */
    public void providerCallId(UUID orgId, UUID callId, String providerCallId) {
        records.setProviderCallId(orgId, callId, providerCallId);
    }

    /**
     * Runs a reserved call on {@code transport} with the agent version recorded at reservation.
     *
     * @throws ApiException not found (no such call), conflict (it already ended or runs elsewhere), or
     *                      service unavailable (providers); the call is then ended as failed
     */
    public LiveCall attach(UUID orgId, UUID callId, Transport transport, CallControl control) {
        return attach(orgId, callId, transport, control, CallObserver.NONE);
    }

    private LiveCall attach(UUID orgId, UUID callId, Transport transport, CallControl control, CallObserver observer) {
        CallRecord record = records.find(orgId, callId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such call."));
        if (record.endedAt() != null) {
            throw new ApiException(ErrorCode.CONFLICT, "The call has already ended or is running.");
        }
        AgentVersion agent = agents.version(orgId, record.agentId(), record.agentVersion())
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "The call's agent version is gone."));
        // Live before answered: an end that arrives from now on (hang-up, status callback) finds the call here
        // and ends it as soon as its session runs, instead of missing it between the two steps.
        RunningCall call = new RunningCall(orgId, callId, record, writer, records, recordings, json, metrics,
                live::remove);
        if (live.putIfAbsent(callId, call) != null) {
            throw new ApiException(ErrorCode.CONFLICT, "The call has already ended or is running.");
        }
        if (!records.markAnswered(orgId, callId, nodes.nodeId())) {
            live.remove(callId, call);
            throw new ApiException(ErrorCode.CONFLICT, "The call has ended or its media is already connected.");
        }
        VoiceStack stack = null;
        AgentBrain brain = null;
        try {
            stack = stacks.forAgent(orgId, agent.definition());
            CallControl recorded = call.recordedControl(control);
            brain = brains.open(new Conversation(orgId, agent, callId, record.callerId(),
                    record.direction() == CallDirection.WEB ? Conversation.Channel.WEB : Conversation.Channel.PHONE,
                    stack, recorded));
            CallSettings settings = agent.definition().callSettings(CallSettings.builder().build()).toBuilder()
                    .systemPrompt(brain.systemPrompt())
                    .firstMessage(brain.firstMessage())
                    .build();
            CallRecorder recorder = recordings.start(orgId, callId);
            CallSession.Builder session = CallSession.builder()
                    .callId(callId.toString())
                    .settings(settings)
                    .transport(new RecordingTransport(transport, recorder))
                    .speechToText(observer.speechToText(stack.stt()))
                    .languageModel(brain.languageModel())
                    .textToSpeech(observer.textToSpeech(stack.tts()))
                    .tools(brain.tools())
                    .voiceActivityDetector(vad.newDetector())
                    .scheduler(scheduler)
                    .sink(observer == CallObserver.NONE ? call.journal() : observer.watching(call.journal()));
            stack.languageModel().ifPresent(session::summaryModel);
            call.run(session.build(), brain, stack);
            return call;
        } catch (RuntimeException e) {
            live.remove(callId, call);
            log.warn("Call {} could not start: {}", callId, e.getMessage());
            call.setupFailed(e, brain, stack);
            transport.hangUp();
            throw e;
        }
    }

    /** The call a telephony provider knows by {@code providerCallId}, in any organization. */
    public Optional<CallRecord> findByProviderCallId(String providerCallId) {
        return providerCallId == null ? Optional.empty() : records.findByProviderCallId(providerCallId);
    }

    /**
     * What the telephony provider says of a call (its status and billed duration), kept on the record; a
     * final status ends the call: through its live handle on this node, or, if its media never connected,
     * by closing the record. A call live on another node ends there when its media socket closes.
     */
    public void providerStatus(UUID orgId, UUID callId, String providerStatus, Integer durationSeconds,
                               CallStatus finalStatus, String endReason) {
        records.providerStatus(orgId, callId, providerStatus, durationSeconds);
        if (finalStatus == null) {
            return;
        }
        RunningCall call = live.get(callId);
        if (call != null) {
            call.end(endReason);
            return;
        }
        endUnanswered(orgId, callId, finalStatus, endReason);
    }

    /** A call's transcript so far, in order. */
    public List<CallRecord.Segment> transcript(UUID orgId, UUID callId) {
        return records.transcript(orgId, callId, CallsController.MAX_SEGMENTS);
    }

    /** A call running on this node. */
    public Optional<LiveCall> live(UUID orgId, UUID callId) {
        RunningCall call = live.get(callId);
        return call != null && call.orgId().equals(orgId) ? Optional.of(call) : Optional.empty();
    }

    /** How many calls run on this node. */
    public int liveCount() {
        return live.size();
    }

    /** This node's name in {@code calls.node_id}. */
    public String nodeId() {
        return nodes.nodeId();
    }

    /** Ends this node's calls before the database and the writers go away. */
    @PreDestroy
    void stop() throws InterruptedException {
        Collection<RunningCall> running = List.copyOf(live.values());
        running.forEach(c -> c.end("server_shutdown"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (RunningCall c : running) {
            long left = Math.max(1, deadline - System.nanoTime());
            if (!c.awaitEnd(Duration.ofNanos(left))) {
                log.warn("Call {} did not finish before shutdown", c.callId());
            }
        }
        hangUpPoller.shutdownNow();
        scheduler.close();
    }
}
