package dev.palaver.server.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.ObjectMapper;

import dev.palaver.media.call.CallEvent.CallEnded;
import dev.palaver.media.call.CallSession;
import dev.palaver.media.call.EndReason;
import dev.palaver.server.brain.AgentBrain;
import dev.palaver.server.brain.CallControl;
import dev.palaver.server.providers.VoiceStack;

/**
 * One call on this node, from media to its final record. The engine reports its end through the journal;
 * whatever caused it, {@link #finish} runs once, off the call's loop: the brain hears the conversation,
 * brain and providers close, the recording is finished, the last events are written and the record gets
 * its final status.
 */
final class RunningCall implements LiveCall {

    private static final Logger log = LoggerFactory.getLogger(RunningCall.class);
    private static final Duration FINISH_WAIT = Duration.ofSeconds(60);
    /** The end reason of a call hung up through the API. */
    static final String HANGUP_REQUESTED = "hangup_requested";

    private final UUID orgId;
    private final UUID callId;
    private final CallEventWriter writer;
    private final CallRecords records;
    private final Recordings recordings;
    private final Consumer<UUID> onFinished;
    private final CallDirection direction;
    private final CallMetrics metrics;
    private final CallJournal journal;
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private final CompletableFuture<EndedCall> ended = new CompletableFuture<>();
    private volatile CallSession session;
    private volatile AgentBrain brain;
    private volatile VoiceStack stack;

    RunningCall(UUID orgId, UUID callId, CallRecord record, CallEventWriter writer, CallRecords records,
                Recordings recordings, ObjectMapper json, CallMetrics metrics, Consumer<UUID> onFinished) {
        this.orgId = orgId;
        this.callId = callId;
        this.writer = writer;
        this.records = records;
        this.recordings = recordings;
        this.onFinished = onFinished;
        this.direction = record.direction();
        this.metrics = metrics;
        this.journal = new CallJournal(orgId, callId, writer, json, metrics, this::engineEnded);
    }

    CallJournal journal() {
        return journal;
    }

    /** The transport's call control, with each request recorded as an event first. */
    CallControl recordedControl(CallControl control) {
        return new CallControl() {
            @Override
            public void transfer(String destination) {
                journal.platformEvent("transfer", Map.of("destination", destination));
                control.transfer(destination);
            }

            @Override
            public void sendDtmf(String digits) {
                journal.platformEvent("dtmf_sent", Map.of("digits", digits));
                control.sendDtmf(digits);
            }

            @Override
            public void endCall() {
                journal.platformEvent("end_requested", Map.of());
                control.endCall();
            }
        };
    }

    void run(CallSession newSession, AgentBrain newBrain, VoiceStack newStack) {
        this.session = newSession;
        this.brain = newBrain;
        this.stack = newStack;
        newSession.start();
        if (reason.get() != null) {
            // Ended while it was being set up: end it now that there is a session to end.
            newSession.hangUp();
        }
    }

    @Override
    public UUID orgId() {
        return orgId;
    }

    @Override
    public UUID callId() {
        return callId;
    }

    @Override
    public void hangUp() {
        end(HANGUP_REQUESTED);
    }

    @Override
    public void end(String endReason) {
        reason.compareAndSet(null, endReason);
        CallSession s = session;
        if (s != null) {
            s.hangUp();
        }
    }

    @Override
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        try {
            ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    @Override
    public CompletionStage<EndedCall> ended() {
        return ended;
    }

    /** On the call's loop: hand the end to a thread of its own. */
    private void engineEnded(CallEnded event) {
        if (finishing.compareAndSet(false, true)) {
            reason.compareAndSet(null, event.reason().name().toLowerCase(Locale.ROOT));
            Thread.ofVirtual().name("palaver-call-end-" + callId).start(() -> finish(event));
        }
    }

    private void finish(CallEnded event) {
        String endReason = reason.get();
        CallStatus status = event.reason() == EndReason.ERROR ? CallStatus.FAILED : CallStatus.COMPLETED;
        try {
            CallSession s = session;
            if (s != null && !s.awaitEnd(Duration.ofSeconds(5))) {
                log.warn("Call {} loop still running after its end", callId);
            }
            closeBrainAndStack(s);
            recordings.finish(callId).get(FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            journal.endedEvent(endReason, event.atMillis());
            writer.flush().get(FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Finishing call {} was incomplete: {}", callId, e.toString());
        } finally {
            try {
                if (records.markEnded(orgId, callId, status, endReason, journal.at(event.atMillis()), journal.dropped())) {
                    metrics.ended(direction, endReason);
                }
            } catch (RuntimeException e) {
                log.error("Could not write the end of call {}: {}", callId, e.toString());
            }
            onFinished.accept(callId);
            ended.complete(new EndedCall(callId, status, endReason));
        }
    }

    private void closeBrainAndStack(CallSession s) {
        AgentBrain b = brain;
        if (b != null) {
            try {
                b.conversationEnded(s != null ? s.history() : java.util.List.of());
            } catch (RuntimeException e) {
                log.warn("The brain of call {} failed at the end of the conversation: {}", callId, e.toString());
            }
            try {
                b.close();
            } catch (RuntimeException e) {
                log.warn("Closing the brain of call {} failed: {}", callId, e.toString());
            }
        }
        VoiceStack v = stack;
        if (v != null) {
            v.close();
        }
    }

    /** Setup failed before the engine ran: record why, close what was opened, end as failed. */
    void setupFailed(RuntimeException cause, AgentBrain openedBrain, VoiceStack openedStack) {
        if (!finishing.compareAndSet(false, true)) {
            return;
        }
        this.brain = openedBrain;
        this.stack = openedStack;
        journal.platformEvent("error", Map.of("component", "setup", "message", String.valueOf(cause.getMessage())));
        closeBrainAndStack(null);
        try {
            recordings.finish(callId).get(FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            journal.endedEvent("setup_failed", journal.offsetNow());
            writer.flush().get(FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Recording the failed start of call {} was incomplete: {}", callId, e.toString());
        }
        if (records.markEnded(orgId, callId, CallStatus.FAILED, "setup_failed", Instant.now(), journal.dropped())) {
            metrics.ended(direction, "setup_failed");
        }
        ended.complete(new EndedCall(callId, CallStatus.FAILED, "setup_failed"));
    }
}
