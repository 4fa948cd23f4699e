package dev.palaver.server.brain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolMessage;
import dev.palaver.media.llm.UserMessage;

/**
 * An offline flow as a language model, so the call engine runs it like any other: a request ending in the
 * caller's words is a new turn, one ending in tool results continues the turn that asked for them. The
 * work (embeddings, parsing) runs on a virtual thread; listener calls follow in order.
 */
final class FlowLanguageModel implements LanguageModel {

    private static final Logger log = LoggerFactory.getLogger(FlowLanguageModel.class);

    private final FlowEngine engine;

    FlowLanguageModel(FlowEngine engine) {
        this.engine = engine;
    }

    FlowEngine engine() {
        return engine;
    }

    @Override
    public Stream stream(LlmRequest request, Listener listener) {
        AtomicBoolean closed = new AtomicBoolean();
        Thread.ofVirtual().name("flow-turn").start(() -> {
            FlowEngine.Step step;
            try {
                step = step(request.messages());
            } catch (RuntimeException e) {
                log.warn("A flow turn failed", e);
                if (!closed.get()) {
                    listener.onError("The flow failed: " + e.getClass().getSimpleName());
                }
                return;
            }
            if (closed.get()) {
                return;
            }
            if (!step.text().isEmpty()) {
                listener.onText(step.text());
            }
            for (ToolCall call : step.calls()) {
                listener.onToolCall(call);
            }
            listener.onDone();
        });
        return () -> closed.set(true);
    }

    private FlowEngine.Step step(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            return new FlowEngine.Step("", List.of());
        }
        return switch (messages.getLast()) {
            case UserMessage user -> engine.onUser(user.text());
            case ToolMessage ignored -> engine.onToolResults(trailingToolResults(messages));
            default -> new FlowEngine.Step("", List.of());
        };
    }

    private static List<ToolMessage> trailingToolResults(List<ChatMessage> messages) {
        List<ToolMessage> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ToolMessage t; i--) {
            results.addFirst(t);
        }
        return results;
    }
}
