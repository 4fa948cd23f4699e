package dev.palaver.server.webvoice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.palaver.media.llm.AssistantMessage;
import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.server.brain.AgentBrain;

/**
 * One reply of a brain to what the caller said, without audio streaming: the model is streamed to the end,
 * tool calls are run (each within {@link #TOOL_TIMEOUT}) and answered, for at most {@link #MAX_TOOL_ROUNDS}
 * rounds. The history grows by the user message, the tool exchanges and the reply.
 */
final class BrainTurn {

    static final int MAX_TOOL_ROUNDS = 4;
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);

    /** The reply, and whether a tool asked to end the conversation. */
    record Reply(String text, boolean endConversation) {
    }

    private BrainTurn() {
    }

    static Reply run(AgentBrain brain, List<ChatMessage> history, String userText, Duration timeout) {
        history.add(new UserMessage(userText));
        boolean end = false;
        for (int round = 0; ; round++) {
            Streamed streamed = stream(brain.languageModel(), new LlmRequest(history, brain.tools().definitions()), timeout);
            if (streamed.calls().isEmpty() || round == MAX_TOOL_ROUNDS) {
                history.add(AssistantMessage.of(streamed.text()));
                return new Reply(streamed.text(), end);
            }
            history.add(new AssistantMessage(streamed.text(), streamed.calls(), false));
            for (ToolCall call : streamed.calls()) {
                ToolResult result = runTool(brain, call);
                end |= result.endCall();
                history.add(new ToolMessage(call.id(), call.name(), result.content(), result.error()));
            }
        }
    }

    private record Streamed(String text, List<ToolCall> calls) {
    }

    private static Streamed stream(LanguageModel model, LlmRequest request, Duration timeout) {
        var done = new CompletableFuture<Streamed>();
        var text = new StringBuilder();
        var calls = new ArrayList<ToolCall>();
        try (LanguageModel.Stream ignored = model.stream(request, new LanguageModel.Listener() {
            @Override
            public synchronized void onText(String delta) {
                text.append(delta);
            }

            @Override
            public synchronized void onToolCall(ToolCall call) {
                calls.add(call);
            }

            @Override
            public synchronized void onDone() {
                done.complete(new Streamed(text.toString().strip(), List.copyOf(calls)));
            }

            @Override
            public void onError(String message) {
                done.completeExceptionally(new IllegalStateException(message));
            }
        })) {
            return Transcription.await(done, timeout, "The agent's reply");
        }
    }

    private static ToolResult runTool(AgentBrain brain, ToolCall call) {
        CompletableFuture<ToolResult> future = brain.tools().execute(call);
        try {
            return future.get(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return ToolResult.error("interrupted");
        } catch (Exception e) {
            future.cancel(true);
            return ToolResult.error(call.name() + " failed: " + e);
        }
    }
}
