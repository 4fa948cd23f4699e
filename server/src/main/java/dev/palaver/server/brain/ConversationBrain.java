package dev.palaver.server.brain;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.ToolExecutor;
import dev.palaver.server.memory.CallerMemories;

/**
 * The brain of one conversation. When it ends, what it taught about the caller is written to memory in
 * the background (with the agent's language model when it has one, else by rules); resources the brain
 * opened itself are released once that is done.
 */
final class ConversationBrain implements AgentBrain {

    private static final Logger log = LoggerFactory.getLogger(ConversationBrain.class);

    /** Where the conversation's memory goes; null when the agent does not remember or the caller is unknown. */
    record MemoryTarget(CallerMemories memories, UUID orgId, String callerId) {
    }

    private final String systemPrompt;
    private final String firstMessage;
    private final LanguageModel model;
    private final LanguageModel extractionModel;
    private final ToolExecutor tools;
    private final Supplier<String> flowNode;
    private final MemoryTarget memory;
    private final AutoCloseable owned;
    private final ExecutorService background;
    private volatile CompletableFuture<Void> remembered = CompletableFuture.completedFuture(null);

    ConversationBrain(String systemPrompt, String firstMessage, LanguageModel model, LanguageModel extractionModel,
                      ToolExecutor tools, Supplier<String> flowNode, MemoryTarget memory, AutoCloseable owned,
                      ExecutorService background) {
        this.systemPrompt = systemPrompt;
        this.firstMessage = firstMessage;
        this.model = model;
        this.extractionModel = extractionModel;
        this.tools = tools;
        this.flowNode = flowNode;
        this.memory = memory;
        this.owned = owned;
        this.background = background;
    }

    @Override
    public String systemPrompt() {
        return systemPrompt;
    }

    @Override
    public String firstMessage() {
        return firstMessage;
    }

    @Override
    public LanguageModel languageModel() {
        return model;
    }

    @Override
    public ToolExecutor tools() {
        return tools;
    }

    @Override
    public Optional<String> flowNode() {
        return flowNode == null ? Optional.empty() : Optional.of(flowNode.get());
    }

    @Override
    public void conversationEnded(List<ChatMessage> history) {
        if (memory == null || history.isEmpty()) {
            return;
        }
        List<ChatMessage> copy = List.copyOf(history);
        remembered = CompletableFuture.runAsync(() -> {
            LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
            MemoryExtraction.Learned learned = (extractionModel == null ? Optional.<MemoryExtraction.Learned>empty()
                    : MemoryExtraction.withModel(extractionModel, copy, today))
                    .orElseGet(() -> MemoryExtraction.ruleBased(copy, today));
            memory.memories().remember(memory.orgId(), memory.callerId(), learned.facts(), learned.summaryLine());
        }, background).exceptionally(e -> {
            log.warn("Could not update the memory of a caller of organization {}", memory.orgId(), e);
            return null;
        });
    }

    /** Completes when the memory of the ended conversation is written (at once when there is none). */
    CompletableFuture<Void> remembered() {
        return remembered;
    }

    @Override
    public void close() {
        if (owned != null) {
            remembered.whenComplete((ok, e) -> {
                try {
                    owned.close();
                } catch (Exception ex) {
                    log.warn("Closing a brain's providers failed: {}", ex.toString());
                }
            });
        }
    }
}
