package dev.palaver.server.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jakarta.annotation.PreDestroy;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.palaver.server.platform.config.PalaverProperties;

/**
 * One Lucene index per organization under {@code <data-dir>/knowledge/<orgId>}: BM25 over chunk text and
 * an HNSW graph over chunk vectors, searched together and fused by reciprocal rank. The index is derived
 * from PostgreSQL and records, in its commit, its format, the embedder whose vectors it holds and the
 * organization's knowledge generation it reflects. Before a search or after a change it catches up by
 * replaying the change log; a missing, foreign-format or hopelessly stale index is rebuilt from PostgreSQL.
 */
@Component
final class KnowledgeIndex {

    /** Bump when the documents' fields or analysis change: every index is then rebuilt on first use. */
    static final String FORMAT = "1";
    static final String MARK_FORMAT = "palaver.format";
    static final String MARK_EMBEDDER = "palaver.embedder";
    static final String MARK_GENERATION = "palaver.generation";

    static final String F_ID = "id";
    static final String F_KB = "kb";
    static final String F_DOC = "doc";
    static final String F_NAME = "name";
    static final String F_POS = "pos";
    static final String F_TEXT = "text";
    private static final String F_VEC = "vec";
    /** Hits taken from each ranking before fusion. */
    private static final int CANDIDATES = 50;
    /** The usual constant of reciprocal rank fusion: a hit at rank r scores 1 / (RRF_K + r). */
    private static final int RRF_K = 60;
    /** Rows per query while rebuilding, so memory stays bounded however large the organization. */
    private static final int PAGE = 500;
    private static final String CHUNKS = """
            select c.id, c.knowledge_base_id, c.document_id, d.name, c.position, c.text, c.embedding, c.embedding_model
            from knowledge_chunks c join knowledge_documents d on d.org_id = c.org_id and d.id = c.document_id
            """;

    /**
     * Lucene's English stop words plus the question words, pronouns and fillers that spoken questions are full
     * of ("can you tell me what your…"): matching on them would rank any chunk that says "you" or "what".
     */
    private static final CharArraySet STOP_WORDS = stopWords();

    private static final Logger log = LoggerFactory.getLogger(KnowledgeIndex.class);

    private final JdbcClient jdbc;
    private final Embedder embedder;
    private final Path root;
    private final int maxOpen;
    private final String embedderMark;
    private final Analyzer analyzer = new EnglishAnalyzer(STOP_WORDS);
    private final ConcurrentHashMap<UUID, OrgIndex> open = new ConcurrentHashMap<>();

    @Autowired
    KnowledgeIndex(JdbcClient jdbc, Embedder embedder, PalaverProperties props, KnowledgeProperties knowledge) {
        this(jdbc, embedder, props.dataDir().resolve("knowledge"), knowledge.maxOpenIndexes());
    }

    KnowledgeIndex(JdbcClient jdbc, Embedder embedder, Path root, int maxOpen) {
        this.jdbc = jdbc;
        this.embedder = embedder;
        this.root = root;
        this.maxOpen = maxOpen;
        this.embedderMark = embedder.id() + ":" + embedder.dimension();
    }

    /** Where an organization's index lives. */
    Path directory(UUID orgId) {
        return root.resolve(orgId.toString());
    }

    /** Brings the organization's index up to PostgreSQL's current generation. */
    void sync(UUID orgId) {
        long generation = KnowledgeChanges.current(jdbc, orgId);
        withIndex(orgId, index -> {
            index.syncTo(generation);
            return null;
        });
    }

    /**
     * The best chunks of the given knowledge bases for {@code query} (BM25) and {@code vector} (nearest
     * neighbours; null: keyword only), after catching up to {@code generation}.
     */
    List<KnowledgeSearch.Hit> search(UUID orgId, long generation, Collection<UUID> knowledgeBaseIds, String query,
                                     float[] vector, int limit) {
        return withIndex(orgId, index -> {
            index.syncTo(generation);
            return index.search(knowledgeBaseIds, query, vector, limit);
        });
    }

    /** Checks every organization's index against PostgreSQL at startup, rebuilding what is missing or stale. */
    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        Thread.ofVirtual().name("knowledge-index-check").start(this::syncAll);
    }

    void syncAll() {
        List<UUID> orgs = jdbc.sql("select org_id from knowledge_generations order by org_id").query(UUID.class).list();
        if (!orgs.isEmpty() && embedder instanceof MiniLmEmbedder miniLm) {
            miniLm.warmUp();
        }
        for (UUID org : orgs) {
            try {
                sync(org);
            } catch (RuntimeException e) {
                log.warn("Could not bring the knowledge index of organization {} up to date; searches will retry", org, e);
            }
        }
    }

    /** Closes the organization's index (it reopens on next use). */
    void close(UUID orgId) {
        OrgIndex index = open.get(orgId);
        if (index != null) {
            evict(orgId, index);
        }
    }

    int openCount() {
        return open.size();
    }

    @PreDestroy
    void closeAll() {
        open.forEach(this::evict);
    }

    private interface IndexAction<T> {
        T apply(OrgIndex index) throws IOException;
    }

    private <T> T withIndex(UUID orgId, IndexAction<T> action) {
        while (true) {
            OrgIndex index = acquire(orgId);
            boolean failed = false;
            index.life.readLock().lock();
            try {
                if (index.closed) {
                    // Closed by an eviction that has finished (it held the write lock): its writer has let go of
                    // the directory, so a new one may open it.
                    open.remove(orgId, index);
                    continue;
                }
                return action.apply(index);
            } catch (IOException e) {
                failed = true;
                throw new UncheckedIOException("knowledge index of organization " + orgId, e);
            } catch (RuntimeException e) {
                failed = true;
                throw e;
            } finally {
                index.life.readLock().unlock();
                if (failed) {
                    // The writer may be unusable after a failure; the next use reopens from the last commit.
                    evict(orgId, index);
                }
            }
        }
    }

    private OrgIndex acquire(UUID orgId) {
        OrgIndex index = open.computeIfAbsent(orgId, id -> {
            try {
                return new OrgIndex(id);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the knowledge index of organization " + id, e);
            }
        });
        index.lastUsed = System.nanoTime();
        if (open.size() > maxOpen) {
            open.entrySet().stream()
                    .filter(e -> !e.getKey().equals(orgId))
                    .min(Comparator.comparingLong(e -> e.getValue().lastUsed))
                    .ifPresent(e -> evict(e.getKey(), e.getValue()));
        }
        return index;
    }

    /** Closes first and forgets after, so a new index for the organization never meets the old writer's lock. */
    private void evict(UUID orgId, OrgIndex index) {
        index.close();
        open.remove(orgId, index);
    }

    private record ChunkRow(UUID id, UUID knowledgeBaseId, UUID documentId, String documentName, int position,
                            String text, byte[] embedding, String embeddingModel) {
    }

    private List<ChunkRow> chunks(JdbcClient.StatementSpec spec) {
        return spec.query((rs, i) -> new ChunkRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getObject(3, UUID.class), rs.getString(4), rs.getInt(5), rs.getString(6), rs.getBytes(7),
                rs.getString(8))).list();
    }

    private Document document(ChunkRow row) {
        Document doc = new Document();
        doc.add(new StringField(F_ID, row.id().toString(), Field.Store.YES));
        doc.add(new StringField(F_KB, row.knowledgeBaseId().toString(), Field.Store.YES));
        doc.add(new StringField(F_DOC, row.documentId().toString(), Field.Store.YES));
        doc.add(new StoredField(F_NAME, row.documentName()));
        doc.add(new StoredField(F_POS, row.position()));
        doc.add(new TextField(F_TEXT, row.text(), Field.Store.YES));
        // Vectors made by another embedder live in another space: such chunks stay findable by keyword only.
        if (row.embedding() != null && embedder.id().equals(row.embeddingModel())
                && row.embedding().length == embedder.dimension() * Float.BYTES) {
            doc.add(new KnnFloatVectorField(F_VEC, Embeddings.fromBytes(row.embedding()), VectorSimilarityFunction.DOT_PRODUCT));
        }
        return doc;
    }

    private static CharArraySet stopWords() {
        CharArraySet words = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
        words.addAll(List.of("what", "when", "where", "which", "who", "whom", "whose", "why", "how", "do", "does", "did",
                "done", "can", "could", "would", "should", "shall", "might", "must", "you", "your", "yours", "we",
                "our", "ours", "i", "me", "my", "mine", "us", "he", "she", "him", "her", "his", "hers", "its", "them",
                "am", "been", "being", "have", "has", "had", "about", "so", "than", "too", "very", "just", "also", "any",
                "some", "all", "here", "from", "up", "out", "please", "tell", "know", "like", "want", "hi", "hello"));
        return CharArraySet.unmodifiableSet(words);
    }

    private Query textQuery(String query) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream tokens = analyzer.tokenStream(F_TEXT, query)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                terms.add(term.toString());
            }
            tokens.end();
        }
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        terms.forEach(t -> any.add(new TermQuery(new Term(F_TEXT, t)), BooleanClause.Occur.SHOULD));
        return any.build();
    }

    /** One organization's index: a writer, near-real-time searchers over it, and the generation it reflects. */
    private final class OrgIndex {
        private final UUID orgId;
        private final FSDirectory directory;
        private final IndexWriter writer;
        private final SearcherManager searchers;
        private final ReentrantLock syncLock = new ReentrantLock();
        /** Searches and syncs hold the read lock; closing takes the write lock, so it waits for them. */
        final ReentrantReadWriteLock life = new ReentrantReadWriteLock();
        boolean closed;
        volatile long lastUsed;
        /** The knowledge generation this index reflects; -1 when it must be rebuilt. */
        private volatile long generation;

        OrgIndex(UUID orgId) throws IOException {
            this.orgId = orgId;
            Path dir = directory(orgId);
            Files.createDirectories(dir);
            this.directory = FSDirectory.open(dir);
            Map<String, String> marks = marks();
            long recorded = -1;
            if (FORMAT.equals(marks.get(MARK_FORMAT)) && embedderMark.equals(marks.get(MARK_EMBEDDER))) {
                recorded = Long.parseLong(marks.getOrDefault(MARK_GENERATION, "-1"));
            } else if (!marks.isEmpty()) {
                log.info("The knowledge index of organization {} was written by format {} with {}; rebuilding it",
                        orgId, marks.get(MARK_FORMAT), marks.get(MARK_EMBEDDER));
            } else {
                log.debug("No knowledge index yet for organization {}; building it", orgId);
            }
            this.generation = recorded;
            // Only commit() makes changes durable, always together with the generation they reach: closing after
            // a failed sync must drop its partial changes, not commit them under the old generation.
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setCommitOnClose(false)
                    .setOpenMode(recorded < 0 ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            IndexWriter opened = null;
            try {
                opened = new IndexWriter(directory, config);
                this.searchers = new SearcherManager(opened, null);
            } catch (IOException | RuntimeException e) {
                if (opened != null) {
                    opened.close();
                }
                directory.close();
                throw e;
            }
            this.writer = opened;
        }

        private Map<String, String> marks() {
            try {
                return DirectoryReader.indexExists(directory) ? SegmentInfos.readLatestCommit(directory).getUserData() : Map.of();
            } catch (IOException e) {
                log.warn("The knowledge index of organization {} is unreadable; rebuilding it", orgId, e);
                return Map.of();
            }
        }

        void syncTo(long target) throws IOException {
            if (generation >= 0 && generation >= target) {
                return;
            }
            syncLock.lock();
            try {
                long current = KnowledgeChanges.current(jdbc, orgId);
                if (generation >= 0 && generation == current) {
                    return;
                }
                if (generation < 0 || generation > current || current - generation > KnowledgeChanges.RETAINED) {
                    rebuild(current);
                } else {
                    catchUp(generation, current);
                }
            } finally {
                syncLock.unlock();
            }
        }

        /**
         * Reads the generation first and the rows after: rows may already include later changes, which the
         * next catch-up replays again (replaying a document is idempotent: delete its chunks, add the current ones).
         */
        private void rebuild(long target) throws IOException {
            long start = System.nanoTime();
            writer.deleteAll();
            UUID after = null;
            int count = 0;
            while (true) {
                List<ChunkRow> rows = chunks(jdbc.sql(CHUNKS + """
                        where c.org_id = :org and (cast(:after as uuid) is null or c.id > :after)
                        order by c.id limit :n""").param("org", orgId).param("after", after).param("n", PAGE));
                for (ChunkRow row : rows) {
                    writer.addDocument(document(row));
                }
                count += rows.size();
                if (rows.size() < PAGE) {
                    break;
                }
                after = rows.getLast().id();
            }
            commit(target);
            log.info("Rebuilt the knowledge index of organization {} from PostgreSQL: {} chunks, generation {}, {} ms",
                    orgId, count, target, (System.nanoTime() - start) / 1_000_000);
        }

        private void catchUp(long from, long to) throws IOException {
            record Change(UUID knowledgeBaseId, UUID documentId) {
            }
            List<Change> changes = jdbc.sql("""
                    select knowledge_base_id, document_id from knowledge_changes
                    where org_id = ? and generation > ? and generation <= ? order by generation""")
                    .params(orgId, from, to)
                    .query((rs, i) -> new Change(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).list();
            if (changes.size() != to - from) {
                rebuild(to);
                return;
            }
            Set<UUID> documents = new LinkedHashSet<>();
            for (Change change : changes) {
                if (change.documentId() == null) {
                    writer.deleteDocuments(new Term(F_KB, change.knowledgeBaseId().toString()));
                } else {
                    documents.add(change.documentId());
                }
            }
            if (!documents.isEmpty()) {
                writer.deleteDocuments(documents.stream().map(d -> new Term(F_DOC, d.toString())).toArray(Term[]::new));
                for (ChunkRow row : chunks(jdbc.sql(CHUNKS + " where c.org_id = :org and c.document_id in (:docs)")
                        .param("org", orgId).param("docs", List.copyOf(documents)))) {
                    writer.addDocument(document(row));
                }
            }
            commit(to);
        }

        private void commit(long target) throws IOException {
            writer.setLiveCommitData(Map.of(MARK_FORMAT, FORMAT, MARK_EMBEDDER, embedderMark,
                    MARK_GENERATION, Long.toString(target)).entrySet());
            writer.commit();
            searchers.maybeRefreshBlocking();
            generation = target;
        }

        List<KnowledgeSearch.Hit> search(Collection<UUID> knowledgeBaseIds, String query, float[] vector, int limit)
                throws IOException {
            IndexSearcher searcher = searchers.acquire();
            try {
                // One base (the usual case) is a plain term: cheaper per search than a term set.
                Query inBases = knowledgeBaseIds.size() == 1
                        ? new TermQuery(new Term(F_KB, knowledgeBaseIds.iterator().next().toString()))
                        : new TermInSetQuery(F_KB, knowledgeBaseIds.stream().map(id -> new BytesRef(id.toString())).toList());
                Map<Integer, Double> fused = new HashMap<>();
                Map<Integer, Double> similarity = new HashMap<>();
                Query text = textQuery(query);
                if (text != null) {
                    Query keyword = new BooleanQuery.Builder()
                            .add(text, BooleanClause.Occur.MUST).add(inBases, BooleanClause.Occur.FILTER).build();
                    ScoreDoc[] hits = searcher.search(keyword, CANDIDATES).scoreDocs;
                    for (int rank = 0; rank < hits.length; rank++) {
                        fused.merge(hits[rank].doc, 1.0 / (RRF_K + rank + 1), Double::sum);
                    }
                }
                if (vector != null) {
                    ScoreDoc[] hits = searcher.search(new KnnFloatVectorQuery(F_VEC, vector, CANDIDATES, inBases), CANDIDATES).scoreDocs;
                    for (int rank = 0; rank < hits.length; rank++) {
                        fused.merge(hits[rank].doc, 1.0 / (RRF_K + rank + 1), Double::sum);
                        // Lucene scores a dot product d as (1 + d) / 2.
                        similarity.put(hits[rank].doc, 2.0 * hits[rank].score - 1.0);
                    }
                }
                List<Map.Entry<Integer, Double>> best = fused.entrySet().stream()
                        .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .limit(limit).toList();
                List<KnowledgeSearch.Hit> out = new ArrayList<>(best.size());
                var stored = searcher.storedFields();
                for (Map.Entry<Integer, Double> e : best) {
                    Document doc = stored.document(e.getKey());
                    Double cosine = vector == null ? null
                            : similarity.containsKey(e.getKey()) ? similarity.get(e.getKey()) : cosine(searcher, e.getKey(), vector);
                    out.add(new KnowledgeSearch.Hit(UUID.fromString(doc.get(F_ID)), UUID.fromString(doc.get(F_DOC)),
                            UUID.fromString(doc.get(F_KB)), doc.get(F_NAME), doc.getField(F_POS).numericValue().intValue(),
                            doc.get(F_TEXT), e.getValue(), cosine));
                }
                return out;
            } finally {
                searchers.release(searcher);
            }
        }

        /** The cosine of a hit found by keyword only, from its stored vector (null when it has none). */
        private Double cosine(IndexSearcher searcher, int doc, float[] vector) throws IOException {
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
            FloatVectorValues values = leaf.reader().getFloatVectorValues(F_VEC);
            if (values == null) {
                return null;
            }
            int local = doc - leaf.docBase;
            KnnVectorValues.DocIndexIterator it = values.iterator();
            if (it.advance(local) != local) {
                return null;
            }
            float[] stored = values.vectorValue(it.index());
            double dot = 0;
            for (int i = 0; i < stored.length; i++) {
                dot += stored[i] * vector[i];
            }
            return dot;
        }

        void close() {
            life.writeLock().lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                for (AutoCloseable resource : List.<AutoCloseable>of(searchers, writer, directory)) {
                    try {
                        resource.close();
                    } catch (Exception e) {
                        log.warn("Closing the knowledge index of organization {} failed", orgId, e);
                    }
                }
            } finally {
                life.writeLock().unlock();
            }
        }
    }
}
