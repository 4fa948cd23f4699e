package dev.palaver.media.call;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.text.TextChunker;
import dev.palaver.media.tts.TextToSpeech;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One thing the agent says, in flight: where its text comes from (the model, in rounds separated by tool
 * calls, or a fixed message), the chunks on their way through synthesis and playback, and the handles of
 * the provider streams it holds. Owned by the call's loop.
 */
final class Reply {

    enum Kind {
        GREETING, ANSWER, REPROMPT, APOLOGY, RESUME, GOODBYE;

        boolean interruptible() {
            return this != GOODBYE;
        }
    }

    /** One model completion and the tool calls it made. */
    static final class Round {
        final StringBuilder text = new StringBuilder();
        final List<ToolCall> calls = new ArrayList<>();
        final Map<String, ToolMessage> results = new LinkedHashMap<>();
        final List<SpokenChunk> chunks = new ArrayList<>();
    }

    record PendingTool(ToolCall call, CompletableFuture<ToolResult> future, long startedAt) {
    }

    final long id;
    final Kind kind;
    final TurnTiming timing;
    final TextChunker chunker = new TextChunker();
    final List<Round> rounds = new ArrayList<>();
    /** Messages after the history for the next model round: earlier rounds' calls and results. */
    final List<ChatMessage> working = new ArrayList<>();
    final List<SpokenChunk> chunks = new ArrayList<>();
    final Map<String, PendingTool> pendingTools = new LinkedHashMap<>();
    EndReason hangUpAfter;

    LanguageModel.Stream llm;
    long llmStreamId;
    int toolRounds;
    boolean toolsDisabled;
    int generatedChars;
    /** No more text will come: the model is done (or was given up on) and no tools are pending. */
    boolean textComplete;
    boolean apologised;

    TextToSpeech.Synthesis synthesis;
    long synthesisId;
    SpokenChunk synthesizing;

    long firstAudioAt = Long.MIN_VALUE;

    Reply(long id, Kind kind, TurnTiming timing) {
        this.id = id;
        this.kind = kind;
        this.timing = timing;
        rounds.add(new Round());
    }

    Round round() {
        return rounds.getLast();
    }

    SpokenChunk addChunk(String text, boolean filler) {
        SpokenChunk chunk = new SpokenChunk(chunks.size(), text, "r" + id + "-c" + chunks.size(), filler);
        chunks.add(chunk);
        round().chunks.add(chunk);
        return chunk;
    }

    /** Removes a chunk none of whose audio was sent. */
    void dropChunk(SpokenChunk chunk) {
        chunks.remove(chunk);
        rounds.forEach(r -> r.chunks.remove(chunk));
    }

    SpokenChunk nextToSynthesize() {
        for (SpokenChunk chunk : chunks) {
            if (!chunk.synthesized) {
                return chunk;
            }
        }
        return null;
    }

    boolean allSynthesized() {
        return nextToSynthesize() == null;
    }

    boolean allMarksPlayed() {
        return chunks.stream().allMatch(c -> c.markPlayed);
    }

    SpokenChunk chunkWithMark(String mark) {
        for (SpokenChunk chunk : chunks) {
            if (chunk.mark.equals(mark)) {
                return chunk;
            }
        }
        return null;
    }

    /** Everything this reply would say, in order, as far as it is known. */
    String fullText() {
        return HeardText.join(chunks.stream().map(c -> c.text).toList());
    }

    /**
     * The history messages for what was heard: per round, the heard text with that round's tool calls
     * and their results (a call without a result is reported cancelled). The last agent message is
     * flagged interrupted if {@code interrupted}.
     */
    List<ChatMessage> historyMessages(Map<SpokenChunk, String> heard, boolean interrupted) {
        List<ChatMessage> out = new ArrayList<>();
        int lastAgent = -1;
        for (Round round : rounds) {
            String text = HeardText.join(round.chunks.stream().map(c -> heard.getOrDefault(c, "")).toList());
            if (round.calls.isEmpty() && text.isBlank()) {
                continue;
            }
            lastAgent = out.size();
            out.add(new AssistantMessage(text, round.calls, false));
            for (ToolCall call : round.calls) {
                out.add(round.results.getOrDefault(call.id(), new ToolMessage(call.id(), call.name(),
                        "Cancelled: the call moved on before the tool answered.", true)));
            }
        }
        if (interrupted && lastAgent >= 0) {
            AssistantMessage last = (AssistantMessage) out.get(lastAgent);
            out.set(lastAgent, new AssistantMessage(last.text(), last.toolCalls(), true));
        }
        return out;
    }
}
