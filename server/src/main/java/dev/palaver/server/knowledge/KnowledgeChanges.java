package dev.palaver.server.knowledge;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The per-organization generation and change log that indexes catch up from (see V5__knowledge.sql).
 * Called inside the transaction that makes the change, so the change and its log entry commit together.
 */
final class KnowledgeChanges {

    /** Log entries kept per organization; an index further behind than this is rebuilt instead. */
    static final int RETAINED = 1000;

    private KnowledgeChanges() {
    }

    /** Bumps the organization's generation and logs that {@code documentId} (null: the whole base) changed. */
    static long record(JdbcClient jdbc, UUID orgId, UUID knowledgeBaseId, UUID documentId) {
        long generation = jdbc.sql("""
                insert into knowledge_generations (org_id, generation) values (?, 1)
                on conflict (org_id) do update set generation = knowledge_generations.generation + 1
                returning generation""")
                .param(orgId).query(Long.class).single();
        jdbc.sql("insert into knowledge_changes (org_id, generation, knowledge_base_id, document_id) values (?, ?, ?, ?)")
                .params(orgId, generation, knowledgeBaseId, documentId).update();
        jdbc.sql("delete from knowledge_changes where org_id = ? and generation <= ?")
                .params(orgId, generation - RETAINED).update();
        return generation;
    }

    /** The organization's current generation (0 before its first change). */
    static long current(JdbcClient jdbc, UUID orgId) {
        return jdbc.sql("select generation from knowledge_generations where org_id = ?")
                .param(orgId).query(Long.class).optional().orElse(0L);
    }
}
