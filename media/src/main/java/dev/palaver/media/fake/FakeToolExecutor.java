package dev.palaver.media.fake;

import dev.palaver.media.llm.ToolCall;
import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.media.llm.ToolExecutor;
import dev.palaver.media.llm.ToolResult;
import dev.palaver.media.time.Cancellable;
import dev.palaver.media.time.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Scripted tools: each answers from a function of its JSON arguments after a latency on the injected
 * scheduler, or never answers at all. Records calls and counts calls still pending and calls cancelled.
 */
public final class FakeToolExecutor implements ToolExecutor {

    private record Tool(ToolDefinition definition, Latency latency, Function<String, ToolResult> handler) {
    }

    private final Scheduler scheduler;
    private final Map<String, Tool> tools;
    private final List<ToolCall> calls = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();

    private FakeToolExecutor(Builder b) {
        scheduler = b.scheduler;
        tools = Map.copyOf(b.tools);
    }

    public static Builder builder(Scheduler scheduler) {
        return new Builder(scheduler);
    }

    @Override
    public List<ToolDefinition> definitions() {
        return tools.values().stream().map(Tool::definition).toList();
    }

    @Override
    public CompletableFuture<ToolResult> execute(ToolCall call) {
        synchronized (this) {
            calls.add(call);
        }
        Tool tool = tools.get(call.name());
        if (tool == null) {
            return CompletableFuture.completedFuture(ToolResult.error("no tool named " + call.name()));
        }
        CompletableFuture<ToolResult> future = new CompletableFuture<>();
        pending.incrementAndGet();
        Cancellable timer = tool.latency() == null ? Cancellable.NONE
                : scheduler.schedule(tool.latency().next(), () -> {
                    try {
                        future.complete(tool.handler().apply(call.argumentsJson()));
                    } catch (RuntimeException e) {
                        future.completeExceptionally(e);
                    }
                });
        future.whenComplete((result, failure) -> {
            pending.decrementAndGet();
            if (future.isCancelled()) {
                cancelled.incrementAndGet();
                timer.cancel();
            }
        });
        return future;
    }

    public synchronized List<ToolCall> calls() {
        return List.copyOf(calls);
    }

    /** Calls neither answered nor cancelled. */
    public int pendingCalls() {
        return pending.get();
    }

    public int cancelledCalls() {
        return cancelled.get();
    }

    public static final class Builder {
        private final Scheduler scheduler;
        private final Map<String, Tool> tools = new LinkedHashMap<>();

        private Builder(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        /** A tool answering {@code handler(argumentsJson)} after {@code latency}; a throw fails the call. */
        public Builder tool(ToolDefinition definition, Latency latency, Function<String, ToolResult> handler) {
            tools.put(definition.name(), new Tool(definition, latency, handler));
            return this;
        }

        /** A tool that never answers (until cancelled). */
        public Builder silentTool(ToolDefinition definition) {
            tools.put(definition.name(), new Tool(definition, null, args -> null));
            return this;
        }

        public FakeToolExecutor build() {
            return new FakeToolExecutor(this);
        }
    }
}
