package dev.palaver.server.knowledge;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.palaver.server.audit.AuditLog;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.platform.db.Ids;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.Cursor;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

/**
 * Knowledge bases and their documents. Adding a document reads its text, chunks and embeds it, then stores
 * document and chunks in one transaction with the change-log entry; the organization's index catches up
 * right after (or, if that fails, on the next search). Every change is audited. {@code actor} is the
 * member or API key making the change, or null for the system (seeding).
 */
@Service
public class KnowledgeBases {

    /** The largest document accepted, in bytes (also the multipart limit, spring.servlet.multipart). */
    public static final long MAX_DOCUMENT_BYTES = 10L * 1024 * 1024;
    /** Extracted text beyond this is refused: bounds what a small compressed PDF can expand to. */
    static final int MAX_DOCUMENT_CHARS = 10 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(KnowledgeBases.class);

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final Embedder embedder;
    private final KnowledgeIndex index;

    KnowledgeBases(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate tx, AuditLog audit,
                   Embedder embedder, KnowledgeIndex index) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.tx = tx;
        this.audit = audit;
        this.embedder = embedder;
        this.index = index;
    }

    public record KnowledgeBase(UUID id, String name, String description, long documentCount, long chunkCount,
                                Instant createdAt) {
    }

    public record KnowledgeDocument(UUID id, UUID knowledgeBaseId, String name, String contentType, long sizeBytes,
                                    int characters, int chunkCount, Instant createdAt) {
    }

    public KnowledgeBase create(UUID orgId, Caller actor, String name, String description) {
        UUID id = Ids.newId();
        try {
            tx.executeWithoutResult(s -> {
                jdbc.sql("insert into knowledge_bases (id, org_id, name, description, created_by) values (?, ?, ?, ?, ?)")
                        .params(id, orgId, name, description, actor == null ? null : actor.userId()).update();
                audit.record(orgId, actor, "knowledge_base.created", "knowledge_base", id, Map.of("name", name));
            });
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.CONFLICT, "A knowledge base named \"" + name + "\" already exists.");
        }
        return get(orgId, id);
    }

    public Page<KnowledgeBase> list(UUID orgId, String cursor, Integer limit) {
        int n = Cursor.limit(limit);
        UUID after = Cursor.decode(cursor);
        List<KnowledgeBase> rows = jdbc.sql(BASES + """
                where b.org_id = :org and (cast(:after as uuid) is null or b.id < :after)
                order by b.id desc limit :n""")
                .param("org", orgId).param("after", after).param("n", n + 1)
                .query(KnowledgeBases::base).list();
        return Page.of(rows, n, KnowledgeBase::id);
    }

    /** The organization's knowledge base, or 404 (also for another organization's id). */
    public KnowledgeBase get(UUID orgId, UUID id) {
        return jdbc.sql(BASES + " where b.org_id = :org and b.id = :id").param("org", orgId).param("id", id)
                .query(KnowledgeBases::base).optional()
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such knowledge base."));
    }

    public void delete(UUID orgId, Caller actor, UUID id) {
        tx.executeWithoutResult(s -> {
            String name = jdbc.sql("delete from knowledge_bases where org_id = ? and id = ? returning name")
                    .params(orgId, id).query(String.class).optional()
                    .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such knowledge base."));
            KnowledgeChanges.record(jdbc, orgId, id, null);
            audit.record(orgId, actor, "knowledge_base.deleted", "knowledge_base", id, Map.of("name", name));
        });
        syncQuietly(orgId);
    }

    /**
     * Adds a document: its type is checked against its content, its text extracted, chunked and embedded.
     * Refused with 413 when too large, 415 when not text/Markdown/HTML/PDF (or not what it claims), 400 when it
     * has no text, 409 when the base already has the same file, 503 when the embedder fails (nothing is stored).
     */
    public KnowledgeDocument addDocument(UUID orgId, Caller actor, UUID knowledgeBaseId, String fileName,
                                         String declaredType, byte[] content) {
        get(orgId, knowledgeBaseId);
        if (content.length == 0) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The file is empty.");
        }
        if (content.length > MAX_DOCUMENT_BYTES) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The document is larger than the limit of " + MAX_DOCUMENT_BYTES + " bytes.");
        }
        String name = displayName(fileName);
        byte[] sha256 = sha256(content);
        requireNew(orgId, knowledgeBaseId, sha256);
        DocumentReader.ReadDocument read = DocumentReader.read(name, declaredType, content);
        if (read.text().length() > MAX_DOCUMENT_CHARS) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The document's text is longer than the limit of " + MAX_DOCUMENT_CHARS + " characters.");
        }
        List<String> chunks = Chunker.chunk(read.text());
        if (chunks.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The document contains no text.");
        }
        float[][] vectors;
        try {
            vectors = Embeddings.embedAll(embedder, chunks);
        } catch (Embeddings.EmbeddingFailed e) {
            log.warn("Could not embed a document for organization {}: {}", orgId, e.getMessage(), e.getCause());
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                    "The embedding model is unavailable, so the document was not stored; try again later.");
        }
        UUID id = Ids.newId();
        try {
            tx.executeWithoutResult(s -> {
                jdbc.sql("""
                        insert into knowledge_documents (id, org_id, knowledge_base_id, name, content_type, size_bytes,
                                                         sha256, characters, chunk_count, created_by)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .params(id, orgId, knowledgeBaseId, name, read.type().mediaType(), content.length, sha256,
                                read.text().length(), chunks.size(), actor == null ? null : actor.userId())
                        .update();
                List<Object[]> rows = new ArrayList<>(chunks.size());
                for (int i = 0; i < chunks.size(); i++) {
                    rows.add(new Object[] {Ids.newId(), orgId, knowledgeBaseId, id, i, chunks.get(i),
                            Embeddings.toBytes(vectors[i]), embedder.id()});
                }
                jdbcTemplate.batchUpdate("""
                        insert into knowledge_chunks (id, org_id, knowledge_base_id, document_id, position, text,
                                                      embedding, embedding_model)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""", rows);
                KnowledgeChanges.record(jdbc, orgId, knowledgeBaseId, id);
                audit.record(orgId, actor, "knowledge_document.added", "knowledge_document", id,
                        Map.of("knowledgeBaseId", knowledgeBaseId.toString(), "name", name,
                                "contentType", read.type().mediaType(), "chunks", chunks.size()));
            });
        } catch (DuplicateKeyException e) {
            requireNew(orgId, knowledgeBaseId, sha256);
            throw e;
        }
        syncQuietly(orgId);
        return document(orgId, knowledgeBaseId, id);
    }

    public Page<KnowledgeDocument> documents(UUID orgId, UUID knowledgeBaseId, String cursor, Integer limit) {
        get(orgId, knowledgeBaseId);
        int n = Cursor.limit(limit);
        UUID after = Cursor.decode(cursor);
        List<KnowledgeDocument> rows = jdbc.sql(DOCUMENTS + """
                where org_id = :org and knowledge_base_id = :kb and (cast(:after as uuid) is null or id < :after)
                order by id desc limit :n""")
                .param("org", orgId).param("kb", knowledgeBaseId).param("after", after).param("n", n + 1)
                .query(KnowledgeBases::document).list();
        return Page.of(rows, n, KnowledgeDocument::id);
    }

    public KnowledgeDocument document(UUID orgId, UUID knowledgeBaseId, UUID id) {
        return jdbc.sql(DOCUMENTS + " where org_id = ? and knowledge_base_id = ? and id = ?")
                .params(orgId, knowledgeBaseId, id).query(KnowledgeBases::document).optional()
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such document."));
    }

    /** Removes the document and its chunks; its chunks leave search results at once. */
    public void deleteDocument(UUID orgId, Caller actor, UUID knowledgeBaseId, UUID id) {
        tx.executeWithoutResult(s -> {
            String name = jdbc.sql("delete from knowledge_documents where org_id = ? and knowledge_base_id = ? and id = ? returning name")
                    .params(orgId, knowledgeBaseId, id).query(String.class).optional()
                    .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No such document."));
            KnowledgeChanges.record(jdbc, orgId, knowledgeBaseId, id);
            audit.record(orgId, actor, "knowledge_document.deleted", "knowledge_document", id,
                    Map.of("knowledgeBaseId", knowledgeBaseId.toString(), "name", name));
        });
        syncQuietly(orgId);
    }

    private void requireNew(UUID orgId, UUID knowledgeBaseId, byte[] sha256) {
        jdbc.sql("select id from knowledge_documents where org_id = ? and knowledge_base_id = ? and sha256 = ?")
                .params(orgId, knowledgeBaseId, sha256).query(UUID.class).optional()
                .ifPresent(existing -> {
                    throw new ApiException(ErrorCode.CONFLICT,
                            "This knowledge base already has this document (id " + existing + ").");
                });
    }

    /** PostgreSQL has the change; the index catching up now only saves the next search from doing it. */
    private void syncQuietly(UUID orgId) {
        try {
            index.sync(orgId);
        } catch (RuntimeException e) {
            log.warn("The knowledge index of organization {} will catch up on its next search", orgId, e);
        }
    }

    private static String displayName(String fileName) {
        String name = fileName == null ? "" : fileName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty()) {
            return "document";
        }
        return name.length() <= 255 ? name : name.substring(0, 255);
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String BASES = """
            select b.id, b.name, b.description, b.created_at, s.documents, s.chunks
            from knowledge_bases b
            left join lateral (select count(*) as documents, coalesce(sum(d.chunk_count), 0) as chunks
                               from knowledge_documents d where d.org_id = b.org_id and d.knowledge_base_id = b.id) s on true
            """;

    private static final String DOCUMENTS = """
            select id, knowledge_base_id, name, content_type, size_bytes, characters, chunk_count, created_at
            from knowledge_documents
            """;

    private static KnowledgeBase base(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new KnowledgeBase(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("description"),
                rs.getLong("documents"), rs.getLong("chunks"), rs.getTimestamp("created_at").toInstant());
    }

    private static KnowledgeDocument document(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new KnowledgeDocument(rs.getObject("id", UUID.class), rs.getObject("knowledge_base_id", UUID.class),
                rs.getString("name"), rs.getString("content_type"), rs.getLong("size_bytes"), rs.getInt("characters"),
                rs.getInt("chunk_count"), rs.getTimestamp("created_at").toInstant());
    }
}
