package dev.palaver.server.knowledge;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Hybrid search over an organization's knowledge bases, for the API and for agents (the
 * {@code knowledge_search} tool, context injection). When the embedder fails, the search still answers
 * from keywords alone and says so ({@code mode = "keyword"}, {@code degraded} explains).
 */
@Service
public class KnowledgeSearch {

    public static final int DEFAULT_LIMIT = 5;
    public static final int MAX_LIMIT = 20;
    /** Longer queries are cut here: a caller's whole utterance may arrive as the query. */
    public static final int MAX_QUERY_CHARS = 1000;
    public static final String HYBRID = "hybrid";
    public static final String KEYWORD = "keyword";
    static final String DEGRADED_NOTE = "The embedding model is unavailable, so these are keyword matches only.";

    private static final Logger log = LoggerFactory.getLogger(KnowledgeSearch.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final JdbcClient jdbc;
    private final Embedder embedder;
    private final KnowledgeIndex index;
    private final AtomicLong lastFailureLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    KnowledgeSearch(JdbcClient jdbc, Embedder embedder, KnowledgeIndex index) {
        this.jdbc = jdbc;
        this.embedder = embedder;
        this.index = index;
    }

    /**
     * One chunk that matched. {@code score}: fused rank score, higher is better, comparable only within one
     * answer. {@code similarity}: cosine between the query and the chunk (-1..1), absent in keyword mode.
     */
    public record Hit(UUID chunkId, UUID documentId, UUID knowledgeBaseId, String documentName, int position,
                      String text, double score, Double similarity) {
    }

    /** The hits, best first; {@code mode} is {@code hybrid} or {@code keyword}; {@code degraded} says why, when keyword. */
    public record Result(List<Hit> results, String mode, String degraded) {
    }

    /**
     * Searches the given knowledge bases of the organization. Ids of bases that do not exist or belong to
     * another organization match nothing.
     *
     * @param limit 1 to {@value #MAX_LIMIT}
     */
    public Result search(UUID orgId, List<UUID> knowledgeBaseIds, String query, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("the query is blank");
        }
        String q = query.strip();
        if (q.length() > MAX_QUERY_CHARS) {
            q = q.substring(0, MAX_QUERY_CHARS);
        }
        long generation = KnowledgeChanges.current(jdbc, orgId);
        if (knowledgeBaseIds.isEmpty() || generation == 0) {
            return new Result(List.of(), HYBRID, null);
        }
        float[] vector;
        try {
            vector = Embeddings.embedOne(embedder, q);
        } catch (Embeddings.EmbeddingFailed e) {
            logFailure(e);
            return new Result(index.search(orgId, generation, knowledgeBaseIds, q, null, limit), KEYWORD, DEGRADED_NOTE);
        }
        return new Result(index.search(orgId, generation, knowledgeBaseIds, q, vector, limit), HYBRID, null);
    }

    private void logFailure(Embeddings.EmbeddingFailed e) {
        long last = lastFailureLogged.get();
        long now = System.nanoTime();
        if (now - last >= LOG_EVERY_NANOS && lastFailureLogged.compareAndSet(last, now)) {
            Throwable cause = e.getCause();
            log.warn("Knowledge search fell back to keywords: {}{} (logged at most once a minute)", e.getMessage(),
                    cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
    }
}
