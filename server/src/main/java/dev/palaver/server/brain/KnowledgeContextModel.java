package dev.palaver.server.brain;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.palaver.media.llm.ChatMessage;
import dev.palaver.media.llm.LanguageModel;
import dev.palaver.media.llm.LlmRequest;
import dev.palaver.media.llm.SystemMessage;
import dev.palaver.media.llm.UserMessage;
import dev.palaver.server.knowledge.KnowledgeSearch;

/**
 * Puts knowledge into the model's context: before a request that ends with the caller's words, the agent's
 * knowledge bases are searched with them and the best passages go in as a system message just before
 * those words. A degraded (keyword-only) search says so; a failed search adds nothing.
 */
final class KnowledgeContextModel implements LanguageModel {

    static final int PASSAGES = 3;

    private final LanguageModel model;
    private final KnowledgeSearch search;
    private final UUID orgId;
    private final List<UUID> knowledgeBaseIds;

    KnowledgeContextModel(LanguageModel model, KnowledgeSearch search, UUID orgId, List<UUID> knowledgeBaseIds) {
        this.model = model;
        this.search = search;
        this.orgId = orgId;
        this.knowledgeBaseIds = List.copyOf(knowledgeBaseIds);
    }

    @Override
    public Stream stream(LlmRequest request, Listener listener) {
        List<ChatMessage> messages = request.messages();
        if (messages.isEmpty() || !(messages.getLast() instanceof UserMessage user) || user.text().isBlank()) {
            return model.stream(request, listener);
        }
        AtomicBoolean closed = new AtomicBoolean();
        AtomicReference<Stream> inner = new AtomicReference<>();
        Thread.ofVirtual().name("knowledge-context").start(() -> {
            List<ChatMessage> withContext = new ArrayList<>(messages);
            context(user.text()).ifPresent(c -> withContext.add(withContext.size() - 1, new SystemMessage(c)));
            synchronized (inner) {
                if (!closed.get()) {
                    inner.set(model.stream(new LlmRequest(withContext, request.tools()), listener));
                }
            }
        });
        return () -> {
            synchronized (inner) {
                closed.set(true);
                Stream s = inner.get();
                if (s != null) {
                    s.close();
                }
            }
        };
    }

    private java.util.Optional<String> context(String query) {
        KnowledgeSearch.Result result;
        try {
            result = search.search(orgId, knowledgeBaseIds, query, PASSAGES);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
        if (result.results().isEmpty()) {
            return java.util.Optional.empty();
        }
        StringBuilder out = new StringBuilder("Passages from the organization's knowledge that may answer the caller"
                + (result.degraded() != null ? " (keyword matches only: the embedding model is unavailable)" : "")
                + ". Use them if relevant; never invent facts they do not state.\n");
        for (KnowledgeSearch.Hit hit : result.results()) {
            out.append("- [").append(hit.documentName()).append("] ").append(hit.text().replaceAll("\\s+", " ")).append('\n');
        }
        return java.util.Optional.of(out.toString().strip());
    }
}
