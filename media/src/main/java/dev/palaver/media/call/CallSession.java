package dev.palaver.media.call;

import static dev.palaver.media.call.CallState.ENDED;
import static dev.palaver.media.call.CallState.GREETING;
import static dev.palaver.media.call.CallState.LISTENING;
import static dev.palaver.media.call.CallState.SPEAKING;
import static dev.palaver.media.call.CallState.THINKING;
import static dev.palaver.media.call.CallState.USER_SPEAKING;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.call.CallEvent.CallEnded;
import dev.palaver.media.call.CallEvent.CallStarted;
import dev.palaver.media.call.CallEvent.CallerInterrupted;
import dev.palaver.media.call.CallEvent.ErrorOccurred;
import dev.palaver.media.call.CallEvent.Speaker;
import dev.palaver.media.call.CallEvent.ToolCalled;
import dev.palaver.media.call.CallEvent.TranscriptRecorded;
import dev.palaver.media.call.Mailbox.Envelope;
import dev.palaver.media.call.Reply.Kind;
import dev.palaver.media.call.Reply.PendingTool;
import dev.palaver.media.call.Reply.Round;
import dev.palaver.media.call.SessionEvent.AudioReceived;
import dev.palaver.media.call.SessionEvent.DtmfReceived;
import dev.palaver.media.call.SessionEvent.HangUpRequested;
import dev.palaver.media.call.SessionEvent.LlmDone;
import dev.palaver.media.call.SessionEvent.LlmFailed;
import dev.palaver.media.call.SessionEvent.LlmText;
import dev.palaver.media.call.SessionEvent.LlmToolCall;
import dev.palaver.media.call.SessionEvent.MarkPlayed;
import dev.palaver.media.call.SessionEvent.SpeechStarted;
import dev.palaver.media.call.SessionEvent.SpeechStopped;
import dev.palaver.media.call.SessionEvent.Start;
import dev.palaver.media.call.SessionEvent.SttFailed;
import dev.palaver.media.call.SessionEvent.SummaryDone;
import dev.palaver.media.call.SessionEvent.SummaryFailed;
import dev.palaver.media.call.SessionEvent.SummaryText;
import dev.palaver.media.call.SessionEvent.TimerFired;
import dev.palaver.media.call.SessionEvent.ToolFinished;
import dev.palaver.media.call.SessionEvent.TranscriptFinal;
import dev.palaver.media.call.SessionEvent.TranscriptPartial;
import dev.palaver.media.call.SessionEvent.TransportClosed;
import dev.palaver.media.call.SessionEvent.TtsAudio;
import dev.palaver.media.call.SessionEvent.TtsDone;
import dev.palaver.media.call.SessionEvent.TtsFailed;
import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolExecutor;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.media.stt.SpeechToText;
import dev.palaver.media.text.JsonSyntax;
import dev.palaver.media.text.TextChunker;
import dev.palaver.media.time.Scheduler;
import dev.palaver.media.transport.Transport;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.media.vad.VoiceActivityDetector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One phone or browser call: listens to the caller, decides when their turn is over, asks the model,
 * speaks the reply, and stops when the caller cuts in.
 *
 * <p>Everything that happens to the call (caller audio, transcripts, model and synthesis output, marks,
 * keys, timers, hang-up) arrives as an event in a bounded mailbox, drained by one loop: a virtual thread
 * per call, or tasks on the injected scheduler ({@link LoopMode}). Only that loop touches call state.
 * Providers and the transport run elsewhere and only post events; each event names the stream it came
 * from, and events from streams the call has closed are dropped.
 *
 * <p>Which words the caller heard: output is paced in real time (one 20 ms frame per 20 ms), so the
 * frames sent, less the part of the last frame still playing, are what has been played. Each text chunk
 * ends with a mark; a chunk whose mark came back was heard whole. Within a chunk, words heard are
 * proportional to the share of its audio played (see {@link HeardText}). The history only ever holds
 * words heard.
 */
public final class CallSession {

    private static final Logger log = LoggerFactory.getLogger(CallSession.class);

    private static final long FRAME_NANOS = AudioFormat.FRAME_MILLIS * 1_000_000L;
    private static final long MIN = Long.MIN_VALUE;
    private static final int MAX_TURN_CHARS = 2_000;
    private static final int MAX_TOOL_RESULT_CHARS = 4_000;
    private static final int MAX_KEYS = 32;
    /** For a chunk still being synthesized: about 14 characters a second. */
    private static final int ESTIMATED_SAMPLES_PER_CHAR = 1_100;
    private static final int REPLAY_PREROLL_FRAMES = 15;
    private static final int REPLAY_MAX_FRAMES = 750;
    private static final String SUMMARY_INSTRUCTIONS = """
            You keep the running summary of a phone call between a caller and an agent. Merge the summary \
            so far with the new part of the conversation. Keep names, numbers, dates, requests, decisions \
            and open questions. Write plain sentences, at most %d characters, and nothing else.""";

    /** An interruption that may turn out to be false: what was left unsaid. */
    private record Interruption(long at, String remainder, boolean answerUnfinished) {
    }

    /** How a reply ended: what the caller heard of it, and what a false interruption would resume. */
    private record Finished(String spoken, Interruption interruption) {
    }

    // ---- wiring
    private final String callId;
    private final CallSettings settings;
    private final Transport transport;
    private final Failover<SpeechToText> stt;
    private final Failover<LanguageModel> llm;
    private final Failover<TextToSpeech> tts;
    private final LanguageModel summaryModel;
    private final ToolExecutor tools;
    private final Map<String, ToolDefinition> toolsByName;
    private final VoiceActivityDetector vad;
    private final Scheduler scheduler;
    private final CallEventSink sink;
    private final LoopMode loopMode;
    private final long maxBufferedSamples;

    // ---- the loop: safe from any thread
    private final Mailbox mailbox;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final CountDownLatch endedLatch = new CountDownLatch(1);
    private volatile boolean ended;
    private volatile Thread loopThread;
    private volatile CallState publishedState = CallState.CONNECTING;
    private volatile List<ChatMessage> publishedHistory;

    // ---- call state: touched only by the loop
    private final StateMachine machine;
    private final Timers timers;
    private final TurnDetector turnDetector;
    private final TurnDetector.Transitions vadTransitions;
    private final ConversationHistory history;
    private final OutputPacer pacer = new OutputPacer();
    private final AudioReplay replay;
    private final Deque<CallerTurn> awaitingFinals = new ArrayDeque<>();
    private final StringBuilder keys = new StringBuilder();
    private final StringBuilder summaryText = new StringBuilder();
    private long now;
    private long startedAt;
    private long nextId;
    private SpeechToText.Stream sttStream;
    private long sttStreamId;
    private CallerTurn turn;
    private Reply reply;
    private Interruption interruption;
    private int reprompts;
    private int consecutiveFailures;
    private int turnCount;
    private long lastKeyAt;
    private long nextFrameAt = MIN;
    private long lastFrameAt = MIN;
    private LanguageModel.Stream summaryStream;
    private long summaryStreamId;

    private CallSession(Builder b) {
        callId = Objects.requireNonNull(b.callId, "callId");
        settings = Objects.requireNonNull(b.settings, "settings");
        transport = Objects.requireNonNull(b.transport, "transport");
        stt = new Failover<>(Objects.requireNonNull(b.speechToText, "speechToText"), b.fallbackSpeechToText);
        llm = new Failover<>(Objects.requireNonNull(b.languageModel, "languageModel"), b.fallbackLanguageModel);
        tts = new Failover<>(Objects.requireNonNull(b.textToSpeech, "textToSpeech"), b.fallbackTextToSpeech);
        summaryModel = b.summaryModel;
        tools = Objects.requireNonNull(b.tools, "tools");
        toolsByName = tools.definitions().stream()
                .collect(Collectors.toUnmodifiableMap(ToolDefinition::name, Function.identity(), (a, c) -> a));
        vad = Objects.requireNonNull(b.vad, "voiceActivityDetector");
        scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
        sink = Objects.requireNonNull(b.sink, "sink");
        loopMode = Objects.requireNonNull(b.loopMode, "loopMode");
        maxBufferedSamples = settings.maxBufferedAudio().toMillis() * AudioFormat.SAMPLE_RATE / 1000;
        mailbox = new Mailbox(settings.mailboxCapacity());
        machine = new StateMachine(callId);
        timers = new Timers(scheduler, this::post);
        turnDetector = new TurnDetector(vad, settings);
        vadTransitions = new TurnDetector.Transitions() {
            @Override
            public void speechStarted(long onsetNanos) {
                handle(new SpeechStarted(onsetNanos), now);
            }

            @Override
            public void speechStopped(long silenceOnsetNanos) {
                handle(new SpeechStopped(silenceOnsetNanos), now);
            }
        };
        history = new ConversationHistory(settings.systemPrompt(), settings.maxHistoryTurns(),
                settings.maxSummaryChars());
        replay = new AudioReplay(b.fallbackSpeechToText != null, REPLAY_PREROLL_FRAMES, REPLAY_MAX_FRAMES);
        publishedHistory = List.copyOf(history.messages());
    }

    public static Builder builder() {
        return new Builder();
    }

    // =====================================================================================================
    // Public API: safe from any thread
    // =====================================================================================================

    /** Starts the call: attaches the transport and begins the loop. Call once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("call " + callId + " already started");
        }
        post(new Start());
        transport.start(new EventAdapters.TransportInput(this::post));
        if (loopMode == LoopMode.VIRTUAL_THREAD) {
            loopThread = Thread.ofVirtual().name("palaver-call-" + callId).start(this::runLoop);
        }
    }

    /** Asks the call to end now (no goodbye). Idempotent; the call ends on its loop. */
    public void hangUp() {
        post(new HangUpRequested());
    }

    /** Waits until the call has ended and its loop has stopped. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!endedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        Thread thread = loopThread;
        if (thread != null) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            return thread.join(Duration.ofMillis(left));
        }
        return true;
    }

    public String callId() {
        return callId;
    }

    public CallState state() {
        return publishedState;
    }

    public boolean isEnded() {
        return ended;
    }

    /** The conversation as the model sees it: instructions (with summary), then the kept turns. */
    public List<ChatMessage> history() {
        return publishedHistory;
    }

    /** Resource counts for tests and monitoring; exact when the loop is idle or the call has ended. */
    public CallDiagnostics diagnostics() {
        Reply r = reply;
        int open = (sttStream != null ? 1 : 0) + (summaryStream != null ? 1 : 0);
        int pendingTools = 0;
        if (r != null) {
            open += (r.llm != null ? 1 : 0) + (r.synthesis != null ? 1 : 0);
            pendingTools = r.pendingTools.size();
        }
        Thread thread = loopThread;
        return new CallDiagnostics(publishedState, mailbox.size(), mailbox.droppedAudio(), pacer.bufferedSamples(),
                replay.retainedSamples(), open, pendingTools, timers.armedCount(), machine.invalidTransitions(),
                thread != null && thread.isAlive());
    }

    // =====================================================================================================
    // The loop
    // =====================================================================================================

    private boolean post(SessionEvent event) {
        if (ended) {
            return false;
        }
        if (!mailbox.offer(new Envelope(event, scheduler.nanoTime()))) {
            if (!(event instanceof AudioReceived)) {
                overflowed.set(true);
                wake();
            }
            return false;
        }
        if (ended) {
            // The call ended between the check above and the offer; end() may already have emptied the box.
            mailbox.clear();
            return false;
        }
        wake();
        return true;
    }

    private void wake() {
        if (loopMode == LoopMode.ON_SCHEDULER && drainScheduled.compareAndSet(false, true)) {
            scheduler.schedule(Duration.ZERO, this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Envelope envelope;
        while (!ended && (envelope = mailbox.poll()) != null) {
            dispatch(envelope);
        }
        if (ended) {
            mailbox.clear();
        }
    }

    private void runLoop() {
        try {
            while (!ended) {
                dispatch(mailbox.take());
            }
        } catch (InterruptedException e) {
            now = scheduler.nanoTime();
            reportError("engine", "call loop interrupted");
            end(EndReason.ERROR);
        } finally {
            mailbox.clear();
        }
    }

    private void dispatch(Envelope envelope) {
        now = scheduler.nanoTime();
        try {
            handle(envelope.event(), envelope.postedNanos());
            if (overflowed.get() && !ended) {
                reportError("engine", "mailbox overflow: the call cannot keep up");
                end(EndReason.ERROR);
            }
        } catch (RuntimeException e) {
            log.error("Call {} failed handling {}", callId, envelope.event().getClass().getSimpleName(), e);
            reportError("engine", "internal error: " + describe(e));
            end(EndReason.ERROR);
        }
        publishedState = machine.state();
    }

    private void handle(SessionEvent event, long posted) {
        if (ended) {
            return;
        }
        switch (event) {
            case Start s -> onStart();
            case AudioReceived a -> onAudio(a.frame());
            case SpeechStarted s -> onSpeechStarted(s.onsetNanos());
            case SpeechStopped s -> onSpeechStopped(s.silenceOnsetNanos());
            case TranscriptPartial p -> {
                if (p.stream() == sttStreamId && sttStream != null) {
                    onPartial(p.text());
                }
            }
            case TranscriptFinal f -> {
                if (f.stream() == sttStreamId && sttStream != null) {
                    onFinal(f.text(), f.flushed(), posted);
                }
            }
            case SttFailed f -> {
                if (f.stream() == sttStreamId && sttStream != null) {
                    onSttFailure(f.message());
                }
            }
            case LlmText t -> {
                if (isCurrentLlm(t.stream())) {
                    onLlmText(t.text(), posted);
                }
            }
            case LlmToolCall c -> {
                if (isCurrentLlm(c.stream())) {
                    onLlmToolCall(c.call(), posted);
                }
            }
            case LlmDone d -> {
                if (isCurrentLlm(d.stream())) {
                    onLlmDone(posted);
                }
            }
            case LlmFailed f -> {
                if (isCurrentLlm(f.stream())) {
                    onLlmFailure(f.message(), posted);
                }
            }
            case ToolFinished t -> {
                if (reply != null && reply.id == t.reply()) {
                    onToolFinished(t.toolCallId(), t.result(), posted);
                }
            }
            case TtsAudio a -> {
                if (isCurrentSynthesis(a.stream())) {
                    onTtsAudio(a.audio().take(), posted);
                }
            }
            case TtsDone d -> {
                if (isCurrentSynthesis(d.stream())) {
                    onTtsDone();
                }
            }
            case TtsFailed f -> {
                if (isCurrentSynthesis(f.stream())) {
                    onTtsFailure(f.message());
                }
            }
            case MarkPlayed m -> onMarkPlayed(m.name());
            case DtmfReceived d -> onKey(d.digit());
            case TimerFired t -> {
                if (timers.take(t)) {
                    onTimer(t.kind(), t.name());
                }
            }
            case HangUpRequested h -> end(EndReason.HANGUP_REQUESTED);
            case TransportClosed c -> end(EndReason.CALLER_HUNG_UP);
            case SummaryText t -> {
                if (t.stream() == summaryStreamId && summaryStream != null) {
                    onSummaryText(t.text());
                }
            }
            case SummaryDone d -> {
                if (d.stream() == summaryStreamId && summaryStream != null) {
                    onSummaryDone();
                }
            }
            case SummaryFailed f -> {
                if (f.stream() == summaryStreamId && summaryStream != null) {
                    onSummaryFailure(f.message());
                }
            }
        }
    }

    private boolean isCurrentLlm(long stream) {
        return reply != null && reply.llm != null && reply.llmStreamId == stream;
    }

    private boolean isCurrentSynthesis(long stream) {
        return reply != null && reply.synthesis != null && reply.synthesisId == stream;
    }

    private void onTimer(TimerKind kind, String name) {
        switch (kind) {
            case PACE -> pump();
            case ENDPOINT -> maybeEndTurn();
            case SILENCE -> onSilence();
            case MAX_DURATION -> onMaxDuration();
            case STT_STALL -> onSttFailure("no transcript for " + settings.providerStallTimeout().toMillis() + " ms");
            case LLM_STALL -> {
                if (reply != null && reply.llm != null) {
                    onLlmFailure("no output for " + settings.providerStallTimeout().toMillis() + " ms", now);
                }
            }
            case TTS_STALL -> {
                if (reply != null && reply.synthesizing != null) {
                    onTtsFailure("no audio for " + settings.providerStallTimeout().toMillis() + " ms");
                }
            }
            case SUMMARY_STALL -> {
                if (summaryStream != null) {
                    onSummaryFailure("no output for " + settings.providerStallTimeout().toMillis() + " ms");
                }
            }
            case MARK_GRACE -> onMarkGrace();
            case FILLER -> onFiller();
            case DTMF -> commitKeys();
            case TOOL -> onToolTimeout(name);
        }
    }

    // =====================================================================================================
    // Start, listening, turn-taking
    // =====================================================================================================

    private void onStart() {
        startedAt = now;
        if (!openStt()) {
            return;
        }
        timers.arm(TimerKind.MAX_DURATION, settings.maxDuration());
        emit(new CallStarted(callId, 0));
        if (settings.firstMessage().isBlank()) {
            listen();
        } else {
            speak(Kind.GREETING, settings.firstMessage(), null);
        }
    }

    private void onAudio(short[] frame) {
        if (sttStream != null) {
            try {
                sttStream.push(frame);
            } catch (RuntimeException e) {
                onSttFailure(describe(e));
                if (ended) {
                    return;
                }
            }
        }
        replay.add(frame);
        turnDetector.accept(frame, now, vadTransitions);
        if (!ended && turn != null && turn.candidate && turn.speaking) {
            checkInterruption();
        }
    }

    private void onSpeechStarted(long onset) {
        timers.cancel(TimerKind.SILENCE);
        if (turn == null) {
            turn = new CallerTurn(onset);
            turn.candidate = reply != null;
            replay.turnStarted();
        } else {
            timers.cancel(TimerKind.ENDPOINT);
        }
        turn.speaking = true;
        turn.utteranceOnset = onset;
        if (reply == null) {
            machine.moveTo(USER_SPEAKING);
        }
    }

    private void onSpeechStopped(long silenceOnset) {
        if (turn == null) {
            return;
        }
        turn.speaking = false;
        turn.lastStop = silenceOnset;
        if (!flushStt()) {
            return;
        }
        if (turn.candidate) {
            long voiced = silenceOnset - turn.utteranceOnset;
            if (reply == null || voiced < settings.interruptionThreshold().toNanos() || !reply.kind.interruptible()) {
                dropCandidate();
            }
            // Otherwise speech long enough to interrupt is waiting for its words (backchannel or not).
            return;
        }
        maybeEndTurn();
    }

    /** Asks the recogniser to settle the current turn's speech; false if that broke the call. */
    private boolean flushStt() {
        if (sttStream == null) {
            return true;
        }
        CallerTurn flushed = turn;
        flushed.pendingFlushes++;
        flushed.lastFlushAt = now;
        awaitingFinals.add(flushed);
        timers.arm(TimerKind.STT_STALL, settings.providerStallTimeout());
        try {
            sttStream.endOfSpeech();
        } catch (RuntimeException e) {
            onSttFailure(describe(e));
            return !ended && turn == flushed;
        }
        return true;
    }

    private void onPartial(String text) {
        if (!awaitingFinals.isEmpty()) {
            timers.arm(TimerKind.STT_STALL, settings.providerStallTimeout());
        }
        if (turn != null) {
            turn.setPartial(text);
            checkInterruption();
        }
    }

    private void onFinal(String text, boolean flushed, long posted) {
        CallerTurn target = turn;
        if (flushed) {
            target = awaitingFinals.poll();
            if (target != null) {
                target.pendingFlushes--;
                target.lastFinalAt = posted;
            }
        }
        if (awaitingFinals.isEmpty()) {
            timers.cancel(TimerKind.STT_STALL);
        } else {
            timers.arm(TimerKind.STT_STALL, settings.providerStallTimeout());
        }
        if (target == null || target != turn) {
            return;
        }
        turn.addFinal(text, MAX_TURN_CHARS);
        if (turn.candidate) {
            checkInterruption();
            if (turn != null && turn.candidate && !turn.speaking && turn.pendingFlushes == 0) {
                dropCandidate();
            }
            return;
        }
        maybeEndTurn();
    }

    /** A candidate turn (speech during a reply) becomes an interruption once it is long enough and real. */
    private void checkInterruption() {
        if (turn == null || !turn.candidate || reply == null || !reply.kind.interruptible()) {
            return;
        }
        long voiced = turn.speaking ? turnDetector.voicedNanosSince(turn.utteranceOnset)
                : turn.lastStop - turn.utteranceOnset;
        if (voiced < settings.interruptionThreshold().toNanos()) {
            return;
        }
        if (settings.ignoreBackchannels()
                && !Backchannels.hasSubstance(turn.wordsSoFar(), settings.backchannels())
                && voiced < settings.backchannelMaxDuration().toNanos()) {
            return;
        }
        interrupt();
    }

    private void dropCandidate() {
        turn = null;
        replay.turnEnded();
    }

    private void maybeEndTurn() {
        if (turn == null || turn.candidate || turn.speaking || turn.pendingFlushes > 0) {
            return;
        }
        long due = turn.lastStop + settings.endpointingDelay().toNanos();
        if (now < due) {
            timers.arm(TimerKind.ENDPOINT, Duration.ofNanos(due - now));
            return;
        }
        endTurn();
    }

    private void endTurn() {
        CallerTurn done = turn;
        turn = null;
        timers.cancel(TimerKind.ENDPOINT);
        replay.turnEnded();
        String text = done.text().strip();
        if (text.isEmpty()) {
            Interruption cut = interruption;
            interruption = null;
            if (cut != null && done.lastStop - cut.at() <= settings.falseInterruptionWindow().toNanos()) {
                recoverFromFalseInterruption(cut);
            } else {
                listen();
            }
            return;
        }
        interruption = null;
        reprompts = 0;
        takeCallerTurn(text, done.startedAt, done.lastStop,
                new TurnTiming(++turnCount, done.lastStop, now, done.lastFlushAt, done.lastFinalAt));
    }

    private void takeCallerTurn(String text, long start, long end, TurnTiming timing) {
        history.addCaller(text);
        emit(new TranscriptRecorded(callId, offset(now), Speaker.CALLER, text, offset(start), offset(end), false));
        summariseIfNeeded();
        publishHistory();
        startAnswer(timing);
    }

    /** Back to waiting for the caller, or straight into their turn if they are already talking. */
    private void listen() {
        if (turn != null) {
            turn.candidate = false;
            machine.moveTo(USER_SPEAKING);
            maybeEndTurn();
            return;
        }
        machine.moveTo(LISTENING);
        timers.arm(TimerKind.SILENCE, settings.silenceTimeout());
    }

    private void recoverFromFalseInterruption(Interruption cut) {
        log.debug("Call {}: false interruption, policy {}", callId, settings.falseInterruptionPolicy());
        switch (settings.falseInterruptionPolicy()) {
            case LISTEN -> listen();
            case RESUME, REPEAT_SENTENCE -> {
                if (!cut.remainder().isBlank()) {
                    speak(Kind.RESUME, cut.remainder(), null);
                } else if (cut.answerUnfinished()) {
                    startAnswer(null);
                } else {
                    listen();
                }
            }
        }
    }

    private void onSilence() {
        if (machine.state() != LISTENING || turn != null || reply != null) {
            return;
        }
        if (reprompts < settings.maxReprompts()) {
            reprompts++;
            speak(Kind.REPROMPT, settings.repromptMessage(), null);
        } else {
            speak(Kind.GOODBYE, settings.goodbyeMessage(), EndReason.SILENCE_TIMEOUT);
        }
    }

    private void onMaxDuration() {
        if (reply != null) {
            if (reply.kind == Kind.GOODBYE) {
                return;
            }
            finishReply(reply, true);
            transport.clear();
        }
        if (turn != null) {
            dropCandidate();
        }
        keys.setLength(0);
        interruption = null;
        timers.cancel(TimerKind.DTMF);
        timers.cancel(TimerKind.ENDPOINT);
        timers.cancel(TimerKind.SILENCE);
        speak(Kind.GOODBYE, settings.maxDurationMessage(), EndReason.MAX_DURATION);
    }

    // =====================================================================================================
    // Keys
    // =====================================================================================================

    private void onKey(char digit) {
        if (reply != null && !reply.kind.interruptible()) {
            return;
        }
        timers.cancel(TimerKind.SILENCE);
        if (reply != null) {
            Finished finished = finishReply(reply, true);
            transport.clear();
            emit(new CallerInterrupted(callId, offset(now), finished.spoken()));
            interruption = null;
            if (turn != null) {
                turn.candidate = false;
                machine.moveTo(USER_SPEAKING);
            } else {
                machine.moveTo(LISTENING);
            }
        }
        if (keys.length() < MAX_KEYS) {
            keys.append(digit);
        }
        lastKeyAt = now;
        if (digit == '#') {
            commitKeys();
        } else {
            timers.arm(TimerKind.DTMF, settings.dtmfTimeout());
        }
    }

    /** The keys pressed so far become the caller's input. */
    private void commitKeys() {
        timers.cancel(TimerKind.DTMF);
        if (keys.isEmpty() || reply != null) {
            keys.setLength(0);
            return;
        }
        String text = "[DTMF] " + keys;
        keys.setLength(0);
        if (turn != null) {
            turn.addFinal(text, MAX_TURN_CHARS);
            maybeEndTurn();
            return;
        }
        interruption = null;
        reprompts = 0;
        takeCallerTurn(text, lastKeyAt, lastKeyAt, TurnTiming.keyed(++turnCount, lastKeyAt, now));
    }

    // =====================================================================================================
    // Replies: the model, tools, chunks
    // =====================================================================================================

    private void beginReply(Reply next) {
        if (reply != null) {
            log.error("Bug: call {} started a {} reply while a {} reply was in flight", callId, next.kind, reply.kind);
            finishReply(reply, true);
        }
        reply = next;
        pacer.reset();
        nextFrameAt = MIN;
        lastFrameAt = MIN;
        timers.cancel(TimerKind.SILENCE);
    }

    private void startAnswer(TurnTiming timing) {
        beginReply(new Reply(++nextId, Kind.ANSWER, timing));
        machine.moveTo(THINKING);
        timers.arm(TimerKind.FILLER, settings.fillerAfter());
        requestRound();
    }

    /** Says a fixed message; {@code hangUpAfter} ends the call once it has played. */
    private void speak(Kind kind, String text, EndReason hangUpAfter) {
        Reply r = new Reply(++nextId, kind, null);
        r.hangUpAfter = hangUpAfter;
        beginReply(r);
        machine.moveTo(kind == Kind.GREETING ? GREETING : SPEAKING);
        r.textComplete = true;
        addText(r, text, false);
        if (r.chunks.isEmpty()) {
            completeReply();
            return;
        }
        synthesizeNext();
    }

    /** Chunks a whole message into the reply. */
    private void addText(Reply r, String text, boolean filler) {
        TextChunker chunker = new TextChunker();
        List<String> pieces = new ArrayList<>(chunker.push(text));
        pieces.addAll(chunker.flush());
        for (String piece : pieces) {
            addChunk(r, piece, filler, now);
        }
    }

    private void addChunk(Reply r, String text, boolean filler, long posted) {
        SpokenChunk chunk = r.addChunk(text, filler);
        pacer.add(chunk);
        if (!filler && r.timing != null) {
            r.timing.pieceReady(posted);
        }
    }

    private void requestRound() {
        Reply r = reply;
        List<ChatMessage> messages = new ArrayList<>(history.messages());
        messages.addAll(r.working);
        LlmRequest request = new LlmRequest(messages, r.toolsDisabled ? List.of() : tools.definitions());
        r.llmStreamId = ++nextId;
        if (r.timing != null) {
            r.timing.llmRequested(now);
        }
        timers.arm(TimerKind.LLM_STALL, settings.providerStallTimeout());
        try {
            r.llm = llm.current().stream(request, new EventAdapters.Completion(r.llmStreamId, this::post));
        } catch (RuntimeException e) {
            r.llm = null;
            onLlmFailure(describe(e), now);
        }
    }

    private void onLlmText(String text, long posted) {
        Reply r = reply;
        timers.arm(TimerKind.LLM_STALL, settings.providerStallTimeout());
        if (r.timing != null) {
            r.timing.llmProgress(posted);
        }
        r.generatedChars += text.length();
        if (r.generatedChars > settings.maxReplyChars()) {
            stopOverlongReply(posted);
            return;
        }
        r.round().text.append(text);
        for (String piece : r.chunker.push(text)) {
            addChunk(r, piece, false, posted);
        }
        synthesizeNext();
    }

    private void onLlmToolCall(ToolCall call, long posted) {
        Reply r = reply;
        timers.arm(TimerKind.LLM_STALL, settings.providerStallTimeout());
        if (r.timing != null) {
            r.timing.llmProgress(posted);
        }
        r.generatedChars += call.argumentsJson().length();
        if (r.generatedChars > settings.maxReplyChars()) {
            stopOverlongReply(posted);
            return;
        }
        r.round().calls.add(call);
    }

    /** The model went past the reply limit: keep what it said, drop its tool calls, stop it. */
    private void stopOverlongReply(long posted) {
        log.warn("Call {}: reply exceeded {} characters; cutting it off", callId, settings.maxReplyChars());
        timers.cancel(TimerKind.LLM_STALL);
        closeLlm(reply);
        reply.round().calls.clear();
        roundFinished(posted);
    }

    private void onLlmDone(long posted) {
        timers.cancel(TimerKind.LLM_STALL);
        closeLlm(reply);
        roundFinished(posted);
    }

    private void roundFinished(long posted) {
        Reply r = reply;
        for (String piece : r.chunker.flush()) {
            addChunk(r, piece, false, posted);
        }
        Round round = r.round();
        if (!round.calls.isEmpty() && r.toolsDisabled) {
            log.warn("Call {}: model called tools after they were withdrawn; ignoring the calls", callId);
            round.calls.clear();
        }
        if (round.calls.isEmpty()) {
            r.textComplete = true;
            synthesizeNext();
            progress();
            return;
        }
        if (r.timing != null) {
            r.timing.llmRoundEnded(posted);
        }
        synthesizeNext();
        runTools();
    }

    private void runTools() {
        Reply r = reply;
        Round round = r.round();
        r.working.add(new AssistantMessage(round.text.toString().strip(), round.calls, false));
        if (r.toolRounds >= settings.maxToolRounds()) {
            for (ToolCall call : round.calls) {
                recordToolResult(r, call, ToolResult.error("Not run: this reply has used all "
                        + settings.maxToolRounds() + " rounds of tool calls. Answer the caller without tools."), 0);
            }
            r.toolsDisabled = true;
            nextRound();
            return;
        }
        r.toolRounds++;
        if (r.timing != null) {
            r.timing.toolsStarted(now);
        }
        for (ToolCall call : round.calls) {
            ToolDefinition definition = toolsByName.get(call.name());
            if (definition == null) {
                recordToolResult(r, call, ToolResult.error("There is no tool named " + call.name() + "."), 0);
                continue;
            }
            if (!JsonSyntax.isObject(call.argumentsJson())) {
                recordToolResult(r, call, ToolResult.error("Invalid arguments: expected a JSON object. Call "
                        + call.name() + " again with valid JSON arguments."), 0);
                continue;
            }
            CompletableFuture<ToolResult> future;
            try {
                future = Objects.requireNonNull(tools.execute(call), "tool returned no future");
            } catch (RuntimeException e) {
                recordToolResult(r, call, ToolResult.error("Tool failed: " + describe(e)), 0);
                continue;
            }
            r.pendingTools.put(call.id(), new PendingTool(call, future, now));
            timers.arm(TimerKind.TOOL, call.id(), definition.timeout());
            long replyId = r.id;
            future.whenComplete((result, failure) -> post(new ToolFinished(replyId, call.id(),
                    result != null ? result : ToolResult.error("Tool failed: " + describe(failure)))));
        }
        if (r.pendingTools.isEmpty()) {
            if (r.timing != null) {
                r.timing.toolsDone(now);
            }
            nextRound();
        }
    }

    private void onToolFinished(String toolCallId, ToolResult result, long posted) {
        Reply r = reply;
        PendingTool pending = r.pendingTools.remove(toolCallId);
        if (pending == null) {
            return;
        }
        timers.cancel(TimerKind.TOOL, toolCallId);
        recordToolResult(r, pending.call(), result, posted - pending.startedAt());
        if (r.pendingTools.isEmpty()) {
            if (r.timing != null) {
                r.timing.toolsDone(posted);
            }
            nextRound();
        }
    }

    private void onToolTimeout(String toolCallId) {
        Reply r = reply;
        PendingTool pending = r == null ? null : r.pendingTools.remove(toolCallId);
        if (pending == null) {
            return;
        }
        pending.future().cancel(true);
        ToolDefinition definition = toolsByName.get(pending.call().name());
        recordToolResult(r, pending.call(), ToolResult.error("The tool " + pending.call().name()
                + " did not answer within " + definition.timeout().toMillis() + " ms."), now - pending.startedAt());
        if (r.pendingTools.isEmpty()) {
            if (r.timing != null) {
                r.timing.toolsDone(now);
            }
            nextRound();
        }
    }

    private void recordToolResult(Reply r, ToolCall call, ToolResult result, long durationNanos) {
        String content = clip(result.content(), MAX_TOOL_RESULT_CHARS);
        r.round().results.put(call.id(), new ToolMessage(call.id(), call.name(), content, result.error()));
        if (result.endCall()) {
            r.hangUpAfter = EndReason.AGENT_HUNG_UP;
        }
        emit(new ToolCalled(callId, offset(now), call.id(), call.name(), call.argumentsJson(), content,
                result.error(), durationNanos / 1_000_000));
    }

    private void nextRound() {
        Reply r = reply;
        Round done = r.round();
        for (ToolCall call : done.calls) {
            r.working.add(done.results.get(call.id()));
        }
        r.rounds.add(new Round());
        requestRound();
    }

    private void onLlmFailure(String message, long posted) {
        Reply r = reply;
        timers.cancel(TimerKind.LLM_STALL);
        closeLlm(r);
        reportError("llm", message);
        if (countFailure()) {
            return;
        }
        Round round = r.round();
        boolean nothingYet = round.text.isEmpty() && round.calls.isEmpty();
        if (r.timing != null) {
            r.timing.llmRoundEnded(posted);
        }
        if (llm.failOver() && nothingYet) {
            log.info("Call {}: language model failed over to the fallback", callId);
            requestRound();
            return;
        }
        round.calls.clear();
        for (String piece : r.chunker.flush()) {
            addChunk(r, piece, false, posted);
        }
        if (round.text.isEmpty()) {
            r.apologised = true;
            addText(r, settings.apologyMessage(), false);
        }
        r.textComplete = true;
        synthesizeNext();
        progress();
    }

    private void onFiller() {
        Reply r = reply;
        if (r == null || r.kind != Kind.ANSWER || r.textComplete || machine.state() != THINKING
                || settings.fillerMessage().isBlank()) {
            return;
        }
        addText(r, settings.fillerMessage(), true);
        synthesizeNext();
    }

    // =====================================================================================================
    // Synthesis and paced output
    // =====================================================================================================

    private void synthesizeNext() {
        Reply r = reply;
        if (r == null || r.synthesis != null || r.synthesizing != null || pacer.bufferedSamples() >= maxBufferedSamples) {
            return;
        }
        SpokenChunk next = r.nextToSynthesize();
        if (next == null) {
            return;
        }
        r.synthesizing = next;
        r.synthesisId = ++nextId;
        if (r.timing != null && !next.filler) {
            r.timing.ttsRequested(now);
        }
        timers.arm(TimerKind.TTS_STALL, settings.providerStallTimeout());
        try {
            r.synthesis = tts.current().synthesize(next.text, new EventAdapters.Synthesis(r.synthesisId, this::post));
        } catch (RuntimeException e) {
            r.synthesis = null;
            onTtsFailure(describe(e));
        }
    }

    private void onTtsAudio(short[] pcm, long posted) {
        Reply r = reply;
        timers.arm(TimerKind.TTS_STALL, settings.providerStallTimeout());
        if (r.timing != null && !r.synthesizing.filler) {
            r.timing.ttsAudio(posted);
        }
        pacer.append(r.synthesizing, pcm);
        pump();
    }

    private void onTtsDone() {
        Reply r = reply;
        timers.cancel(TimerKind.TTS_STALL);
        closeSynthesis(r);
        r.synthesizing.synthesized = true;
        r.synthesizing = null;
        synthesizeNext();
        pump();
    }

    private void onTtsFailure(String message) {
        Reply r = reply;
        SpokenChunk chunk = r.synthesizing;
        timers.cancel(TimerKind.TTS_STALL);
        closeSynthesis(r);
        r.synthesizing = null;
        reportError("tts", message);
        if (countFailure()) {
            return;
        }
        boolean switched = tts.failOver();
        if (switched) {
            log.info("Call {}: speech synthesis failed over to the fallback", callId);
        }
        if (chunk.received > 0) {
            // Keep what arrived; the rest of this piece is lost.
            chunk.synthesized = true;
        } else if (!switched) {
            if (r.apologised || r.kind == Kind.GOODBYE) {
                end(r.kind == Kind.GOODBYE ? r.hangUpAfter : EndReason.PROVIDER_FAILURE);
                return;
            }
            abandonUnsaid(r);
            r.apologised = true;
            addText(r, settings.apologyMessage(), false);
        }
        synthesizeNext();
        pump();
    }

    /** Gives up on everything in the reply not yet on its way to the caller. */
    private void abandonUnsaid(Reply r) {
        for (SpokenChunk chunk : List.copyOf(r.chunks)) {
            if (!chunk.synthesized && chunk.received == 0) {
                pacer.remove(chunk);
                r.dropChunk(chunk);
            }
        }
        timers.cancel(TimerKind.LLM_STALL);
        closeLlm(r);
        cancelTools(r);
        r.round().calls.clear();
        r.textComplete = true;
    }

    /** Sends the next frame if it is due, then arranges the one after. */
    private void pump() {
        Reply r = reply;
        if (r == null) {
            return;
        }
        sendMarks(pacer.takeFinished());
        if (!pacer.hasFrame()) {
            progress();
            return;
        }
        if (nextFrameAt != MIN && now < nextFrameAt) {
            timers.arm(TimerKind.PACE, Duration.ofNanos(nextFrameAt - now));
            return;
        }
        transport.sendAudio(pacer.nextFrame());
        // Keep the 20 ms cadence while frames flow; after a gap, restart it from now.
        nextFrameAt = nextFrameAt == MIN || now - nextFrameAt >= FRAME_NANOS ? now + FRAME_NANOS : nextFrameAt + FRAME_NANOS;
        lastFrameAt = now;
        if (r.firstAudioAt == MIN) {
            r.firstAudioAt = now;
        }
        if (r.timing != null) {
            r.timing.audioSent(now);
        }
        if (machine.state() == THINKING) {
            machine.moveTo(SPEAKING);
            timers.cancel(TimerKind.FILLER);
        }
        sendMarks(pacer.takeFinished());
        synthesizeNext();
        if (pacer.hasFrame()) {
            timers.arm(TimerKind.PACE, Duration.ofNanos(nextFrameAt - now));
        } else {
            progress();
        }
    }

    private void sendMarks(List<SpokenChunk> finished) {
        for (SpokenChunk chunk : finished) {
            chunk.markSent = true;
            transport.sendMark(chunk.mark);
        }
    }

    /** Completes the reply once everything is said and played; otherwise notes that it is thinking. */
    private void progress() {
        Reply r = reply;
        if (r == null) {
            return;
        }
        if (r.textComplete && r.allSynthesized() && pacer.isEmpty()) {
            if (r.allMarksPlayed()) {
                completeReply();
            } else if (!timers.isArmed(TimerKind.MARK_GRACE)) {
                timers.arm(TimerKind.MARK_GRACE, settings.markGrace());
            }
            return;
        }
        if (pacer.isEmpty() && r.kind == Kind.ANSWER && machine.state() == SPEAKING) {
            machine.moveTo(THINKING);
            timers.arm(TimerKind.FILLER, settings.fillerAfter());
        }
    }

    private void onMarkPlayed(String name) {
        if (reply == null) {
            return;
        }
        SpokenChunk chunk = reply.chunkWithMark(name);
        if (chunk != null) {
            chunk.markPlayed = true;
            progress();
        }
    }

    private void onMarkGrace() {
        if (reply == null) {
            return;
        }
        log.warn("Call {}: transport did not report marks played within {} ms", callId, settings.markGrace().toMillis());
        reply.chunks.forEach(chunk -> chunk.markPlayed |= chunk.markSent);
        progress();
    }

    private void completeReply() {
        Reply r = reply;
        finishReply(r, false);
        if (r.kind == Kind.ANSWER && !r.apologised) {
            consecutiveFailures = 0;
        }
        if (r.hangUpAfter != null) {
            end(r.hangUpAfter);
            return;
        }
        listen();
    }

    /** The caller cut the agent off: stop everything and keep only what was heard. */
    private void interrupt() {
        Finished finished = finishReply(reply, true);
        transport.clear();
        emit(new CallerInterrupted(callId, offset(now), finished.spoken()));
        interruption = settings.falseInterruptionPolicy() == FalseInterruptionPolicy.LISTEN ? null
                : finished.interruption();
        turn.candidate = false;
        machine.moveTo(USER_SPEAKING);
        maybeEndTurn();
    }

    /**
     * Ends a reply however it ends: closes its streams, cancels its tools, writes what the caller heard
     * into the history and the transcript, and reports the turn's metrics.
     */
    private Finished finishReply(Reply r, boolean byCaller) {
        reply = null;
        closeLlm(r);
        closeSynthesis(r);
        cancelTools(r);
        for (TimerKind kind : List.of(TimerKind.LLM_STALL, TimerKind.TTS_STALL, TimerKind.PACE,
                TimerKind.MARK_GRACE, TimerKind.FILLER)) {
            timers.cancel(kind);
        }
        long played = playedPosition();
        Map<SpokenChunk, String> heard = new HashMap<>();
        SpokenChunk cut = null;
        for (SpokenChunk chunk : r.chunks) {
            String words = heardOf(chunk, played);
            heard.put(chunk, words);
            if (cut == null && !words.equals(chunk.text)) {
                cut = chunk;
            }
        }
        pacer.clear();
        boolean interrupted = byCaller || cut != null || !r.textComplete;
        history.addAgent(r.historyMessages(heard, interrupted));
        publishHistory();
        String spoken = HeardText.join(r.chunks.stream().map(heard::get).toList());
        if (!spoken.isEmpty()) {
            long start = r.firstAudioAt == MIN ? now : r.firstAudioAt;
            emit(new TranscriptRecorded(callId, offset(now), Speaker.AGENT, spoken, offset(start), offset(now),
                    interrupted));
        }
        if (r.timing != null) {
            emit(r.timing.measured(callId, offset(now)));
        }
        return new Finished(spoken, new Interruption(now, unsaid(r, cut, heard),
                r.kind == Kind.ANSWER && !r.textComplete));
    }

    /** What is left to say from the first chunk not heard whole, per the false-interruption policy. */
    private String unsaid(Reply r, SpokenChunk cut, Map<SpokenChunk, String> heard) {
        if (cut == null) {
            return "";
        }
        List<String> rest = new ArrayList<>();
        rest.add(settings.falseInterruptionPolicy() == FalseInterruptionPolicy.REPEAT_SENTENCE ? cut.text
                : cut.text.substring(heard.get(cut).length()));
        for (SpokenChunk chunk : r.chunks.subList(cut.index + 1, r.chunks.size())) {
            if (!chunk.filler) {
                rest.add(chunk.text);
            }
        }
        return HeardText.join(rest);
    }

    private String heardOf(SpokenChunk chunk, long played) {
        if (chunk.markPlayed) {
            return chunk.text;
        }
        if (chunk.start < 0) {
            return "";
        }
        long total = chunk.synthesized ? chunk.received
                : Math.max(chunk.received, (long) chunk.text.length() * ESTIMATED_SAMPLES_PER_CHAR);
        return HeardText.prefix(chunk.text, played - chunk.start, total);
    }

    /** Output samples played by now: everything sent, less what the last frame still has to play. */
    private long playedPosition() {
        if (lastFrameAt == MIN) {
            return 0;
        }
        long stillPlaying = Math.max(0, FRAME_NANOS - (now - lastFrameAt));
        return pacer.position() - stillPlaying * AudioFormat.SAMPLE_RATE / 1_000_000_000L;
    }

    // =====================================================================================================
    // Failures
    // =====================================================================================================

    private void onSttFailure(String message) {
        timers.cancel(TimerKind.STT_STALL);
        closeStt();
        awaitingFinals.clear();
        reportError("stt", message);
        if (countFailure()) {
            return;
        }
        boolean switched = stt.failOver();
        if (switched) {
            log.info("Call {}: speech recognition failed over to the fallback", callId);
        }
        if (!openStt()) {
            return;
        }
        CallerTurn current = turn;
        if (current == null) {
            return;
        }
        current.pendingFlushes = 0;
        if (switched) {
            current.clearWords();
            for (short[] frame : replay.frames()) {
                sttStream.push(frame);
            }
            if (!current.speaking) {
                flushStt();
            }
            return;
        }
        if (current.candidate) {
            dropCandidate();
            return;
        }
        turn = null;
        replay.turnEnded();
        timers.cancel(TimerKind.ENDPOINT);
        speak(Kind.APOLOGY, settings.notHeardMessage(), null);
    }

    /** Opens a recognition stream on the current provider, failing over if it refuses; false if the call ended. */
    private boolean openStt() {
        while (true) {
            sttStreamId = ++nextId;
            try {
                sttStream = stt.current().open(new EventAdapters.Recognition(sttStreamId, this::post));
                return true;
            } catch (RuntimeException e) {
                sttStream = null;
                reportError("stt", describe(e));
                if (!stt.failOver()) {
                    end(EndReason.PROVIDER_FAILURE);
                    return false;
                }
            }
        }
    }

    /** Counts a provider failure; true if that was one too many and the call has ended. */
    private boolean countFailure() {
        consecutiveFailures++;
        if (consecutiveFailures >= settings.maxConsecutiveFailures()) {
            log.warn("Call {}: {} provider failures in a row; ending the call", callId, consecutiveFailures);
            end(EndReason.PROVIDER_FAILURE);
            return true;
        }
        return false;
    }

    // =====================================================================================================
    // History summary
    // =====================================================================================================

    private void summariseIfNeeded() {
        if (!history.hasUnsummarised() || summaryStream != null) {
            return;
        }
        if (summaryModel == null) {
            history.summariseExtractively();
            return;
        }
        String previous = history.summary();
        String transcript = history.startSummary();
        LlmRequest request = new LlmRequest(List.of(
                new SystemMessage(SUMMARY_INSTRUCTIONS.formatted(settings.maxSummaryChars())),
                new UserMessage("Summary so far:\n" + (previous.isEmpty() ? "(none)" : previous)
                        + "\n\nConversation to add:\n" + transcript)), List.of());
        summaryStreamId = ++nextId;
        summaryText.setLength(0);
        timers.arm(TimerKind.SUMMARY_STALL, settings.providerStallTimeout());
        try {
            summaryStream = summaryModel.stream(request, new EventAdapters.Summary(summaryStreamId, this::post));
        } catch (RuntimeException e) {
            summaryStream = null;
            onSummaryFailure(describe(e));
        }
    }

    private void onSummaryText(String text) {
        timers.arm(TimerKind.SUMMARY_STALL, settings.providerStallTimeout());
        if (summaryText.length() < 2 * settings.maxSummaryChars()) {
            summaryText.append(text);
        }
    }

    private void onSummaryDone() {
        timers.cancel(TimerKind.SUMMARY_STALL);
        closeSummary();
        history.summarised(summaryText.toString());
        summaryText.setLength(0);
        publishHistory();
        summariseIfNeeded();
    }

    private void onSummaryFailure(String message) {
        timers.cancel(TimerKind.SUMMARY_STALL);
        closeSummary();
        summaryText.setLength(0);
        reportError("llm", "summary failed: " + message);
        history.summaryFailed();
        publishHistory();
    }

    // =====================================================================================================
    // Ending
    // =====================================================================================================

    /** Ends the call, once: closes every stream, cancels every timer, hangs up, reports. */
    private void end(EndReason reason) {
        if (machine.state() == ENDED) {
            return;
        }
        if (reply != null) {
            finishReply(reply, false);
        }
        if (turn != null && !turn.candidate && !turn.text().isBlank()) {
            emit(new TranscriptRecorded(callId, offset(now), Speaker.CALLER, turn.text(), offset(turn.startedAt),
                    offset(turn.speaking ? now : turn.lastStop), false));
        }
        turn = null;
        interruption = null;
        awaitingFinals.clear();
        keys.setLength(0);
        closeStt();
        closeSummary();
        timers.cancelAll();
        pacer.clear();
        replay.clear();
        machine.moveTo(ENDED);
        ended = true;
        publishedState = ENDED;
        quietly(vad::close);
        if (reason != EndReason.CALLER_HUNG_UP) {
            quietly(transport::hangUp);
        }
        emit(new CallEnded(callId, offset(now), reason));
        mailbox.clear();
        endedLatch.countDown();
        log.info("Call {} ended: {}", callId, reason);
    }

    private void closeLlm(Reply r) {
        if (r.llm != null) {
            quietly(r.llm::close);
            r.llm = null;
        }
    }

    private void closeSynthesis(Reply r) {
        if (r.synthesis != null) {
            quietly(r.synthesis::close);
            r.synthesis = null;
        }
    }

    private void cancelTools(Reply r) {
        for (PendingTool pending : r.pendingTools.values()) {
            pending.future().cancel(true);
            timers.cancel(TimerKind.TOOL, pending.call().id());
        }
        r.pendingTools.clear();
    }

    private void closeStt() {
        if (sttStream != null) {
            quietly(sttStream::close);
            sttStream = null;
        }
    }

    private void closeSummary() {
        if (summaryStream != null) {
            quietly(summaryStream::close);
            summaryStream = null;
        }
    }

    // =====================================================================================================
    // Helpers
    // =====================================================================================================

    private void publishHistory() {
        publishedHistory = List.copyOf(history.messages());
    }

    private void emit(CallEvent event) {
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            log.error("Call {}: event sink failed on {}", callId, event.getClass().getSimpleName(), e);
        }
    }

    private void reportError(String component, String message) {
        log.warn("Call {}: {} error: {}", callId, component, message);
        emit(new ErrorOccurred(callId, offset(now), component, message));
    }

    private long offset(long nanos) {
        return (nanos - startedAt) / 1_000_000;
    }

    private void quietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.warn("Call {}: error while closing: {}", callId, describe(e));
        }
    }

    private static String describe(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    // =====================================================================================================
    // Builder
    // =====================================================================================================

    /** Wires a call. Required: callId, transport, the three providers, a VAD and a scheduler. */
    public static final class Builder {
        private String callId;
        private CallSettings settings = CallSettings.builder().build();
        private Transport transport;
        private SpeechToText speechToText;
        private SpeechToText fallbackSpeechToText;
        private LanguageModel languageModel;
        private LanguageModel fallbackLanguageModel;
        private TextToSpeech textToSpeech;
        private TextToSpeech fallbackTextToSpeech;
        private LanguageModel summaryModel;
        private ToolExecutor tools = ToolExecutor.none();
        private VoiceActivityDetector vad;
        private Scheduler scheduler;
        private CallEventSink sink = CallEventSink.NONE;
        private LoopMode loopMode = LoopMode.VIRTUAL_THREAD;

        private Builder() {
        }

        public Builder callId(String v) { callId = v; return this; }
        public Builder settings(CallSettings v) { settings = v; return this; }
        public Builder transport(Transport v) { transport = v; return this; }
        public Builder speechToText(SpeechToText v) { speechToText = v; return this; }
        public Builder fallbackSpeechToText(SpeechToText v) { fallbackSpeechToText = v; return this; }
        public Builder languageModel(LanguageModel v) { languageModel = v; return this; }
        public Builder fallbackLanguageModel(LanguageModel v) { fallbackLanguageModel = v; return this; }
        public Builder textToSpeech(TextToSpeech v) { textToSpeech = v; return this; }
        public Builder fallbackTextToSpeech(TextToSpeech v) { fallbackTextToSpeech = v; return this; }
        /** A model that folds old turns into the running summary; without one the summary is extractive. */
        public Builder summaryModel(LanguageModel v) { summaryModel = v; return this; }
        public Builder tools(ToolExecutor v) { tools = v; return this; }
        /** One detector per call; the call closes it when it ends. */
        public Builder voiceActivityDetector(VoiceActivityDetector v) { vad = v; return this; }
        public Builder scheduler(Scheduler v) { scheduler = v; return this; }
        public Builder sink(CallEventSink v) { sink = v; return this; }
        public Builder loopMode(LoopMode v) { loopMode = v; return this; }

        public CallSession build() {
            return new CallSession(this);
        }
    }
}
