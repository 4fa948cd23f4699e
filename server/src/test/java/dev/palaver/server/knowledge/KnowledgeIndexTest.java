package dev.palaver.server.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.palaver.server.identity.IdentityTestAccess;
import dev.palaver.server.testing.SharedPalaverContext;

/** The index is derived from PostgreSQL: rebuilt when missing or of another format, caught up when behind. */
class KnowledgeIndexTest extends SharedPalaverContext {

    private static final String HOURS = "We are open Monday to Friday from 9 am to 6 pm.";
    private static final String PARKING = "Parking is free for customers behind the building.";

    private KnowledgeBases bases;
    private KnowledgeIndex index;
    private KnowledgeSearch search;
    private JdbcClient jdbc;
    private Embedder embedder;

    @BeforeEach
    void beans() {
        bases = context.getBean(KnowledgeBases.class);
        index = context.getBean(KnowledgeIndex.class);
        search = context.getBean(KnowledgeSearch.class);
        jdbc = context.getBean(JdbcClient.class);
        embedder = context.getBean(Embedder.class);
    }

    private UUID base(UUID org) {
        return bases.create(org, null, "Front desk", null).id();
    }

    private UUID add(UUID org, UUID kb, String name, String text) {
        return bases.addDocument(org, null, kb, name, "text/plain", text.getBytes(StandardCharsets.UTF_8)).id();
    }

    private static List<String> texts(KnowledgeSearch.Result result) {
        return result.results().stream().map(KnowledgeSearch.Hit::text).toList();
    }

    private static Map<String, String> marks(Path dir) throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir)) {
            return SegmentInfos.readLatestCommit(directory).getUserData();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void anIndexDeletedFromDiskIsRebuiltFromPostgresqlAtStartupAndOnSearch() throws IOException {
        UUID org = IdentityTestAccess.organization(context);
        UUID kb = base(org);
        add(org, kb, "hours.txt", HOURS);
        add(org, kb, "parking.txt", PARKING);
        Path dir = index.directory(org);

        index.close(org);
        deleteTree(dir);
        index.syncAll();
        assertThat(dir).isDirectory();
        assertThat(marks(dir)).containsEntry(KnowledgeIndex.MARK_FORMAT, KnowledgeIndex.FORMAT)
                .containsEntry(KnowledgeIndex.MARK_GENERATION, Long.toString(KnowledgeChanges.current(jdbc, org)));
        assertThat(texts(search.search(org, List.of(kb), "Monday", 3))).containsExactly(HOURS, PARKING);

        index.close(org);
        deleteTree(dir);
        assertThat(texts(search.search(org, List.of(kb), "parking", 1))).containsExactly(PARKING);
        assertThat(texts(search.search(org, List.of(kb), "What time do you close?", 1))).containsExactly(HOURS);
    }

    @Test
    void theStartupCheckLoadsTheModelWhenThereIsKnowledgeAndTheModelRunsOffline(@TempDir Path otherDataDir) {
        UUID org = IdentityTestAccess.organization(context);
        add(org, base(org), "hours.txt", HOURS);
        try (MiniLmEmbedder fresh = new MiniLmEmbedder(otherDataDir.resolve("cache"))) {
            assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
            assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
            KnowledgeIndex node = new KnowledgeIndex(jdbc, fresh, otherDataDir.resolve("knowledge"), 64);
            try {
                assertThat(fresh.loaded()).isFalse();
                node.syncAll();
                assertThat(fresh.loaded()).isTrue();
                assertThat(node.directory(org)).isDirectory();
            } finally {
                node.closeAll();
            }
        }
    }

    @Test
    void anIndexWrittenInAnotherFormatIsRebuilt() throws IOException {
        UUID org = IdentityTestAccess.organization(context);
        UUID kb = base(org);
        add(org, kb, "hours.txt", HOURS);
        Path dir = index.directory(org);
        index.close(org);
        try (FSDirectory directory = FSDirectory.open(dir);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            Document stale = new Document();
            stale.add(new StringField(KnowledgeIndex.F_ID, UUID.randomUUID().toString(), Field.Store.YES));
            stale.add(new StringField(KnowledgeIndex.F_KB, kb.toString(), Field.Store.YES));
            stale.add(new StringField(KnowledgeIndex.F_DOC, UUID.randomUUID().toString(), Field.Store.YES));
            stale.add(new StoredField(KnowledgeIndex.F_NAME, "old.txt"));
            stale.add(new StoredField(KnowledgeIndex.F_POS, 0));
            stale.add(new TextField(KnowledgeIndex.F_TEXT, "zebra unicorn", Field.Store.YES));
            writer.addDocument(stale);
            writer.setLiveCommitData(Map.of(KnowledgeIndex.MARK_FORMAT, "0", KnowledgeIndex.MARK_EMBEDDER,
                    embedder.id() + ":" + embedder.dimension(), KnowledgeIndex.MARK_GENERATION,
                    Long.toString(KnowledgeChanges.current(jdbc, org))).entrySet());
            writer.commit();
        }

        assertThat(texts(search.search(org, List.of(kb), "zebra unicorn", 5))).doesNotContain("zebra unicorn");
        assertThat(texts(search.search(org, List.of(kb), "Monday", 5))).containsExactly(HOURS);
        assertThat(marks(dir)).containsEntry(KnowledgeIndex.MARK_FORMAT, KnowledgeIndex.FORMAT);
    }

    @Test
    void anotherNodesIndexCatchesUpWithChangesMadeThroughThisOne(@TempDir Path otherDataDir) throws IOException {
        KnowledgeIndex otherIndex = new KnowledgeIndex(jdbc, embedder, otherDataDir, 8);
        KnowledgeSearch otherNode = new KnowledgeSearch(jdbc, embedder, otherIndex);
        try {
            UUID org = IdentityTestAccess.organization(context);
            UUID kb = base(org);
            UUID hours = add(org, kb, "hours.txt", HOURS);
            assertThat(texts(otherNode.search(org, List.of(kb), "Monday", 5))).containsExactly(HOURS);

            add(org, kb, "parking.txt", PARKING);
            // Nearest neighbours always answer, so with two chunks both come back; the keyword decides the order.
            assertThat(texts(otherNode.search(org, List.of(kb), "parking", 5))).containsExactly(PARKING, HOURS);

            bases.deleteDocument(org, null, kb, hours);
            assertThat(texts(otherNode.search(org, List.of(kb), "Monday parking", 5))).containsExactly(PARKING);
            assertThat(marks(otherIndex.directory(org)))
                    .containsEntry(KnowledgeIndex.MARK_GENERATION, Long.toString(KnowledgeChanges.current(jdbc, org)));

            bases.delete(org, null, kb);
            assertThat(otherIndex.search(org, KnowledgeChanges.current(jdbc, org), List.of(kb), "parking", null, 5)).isEmpty();
        } finally {
            otherIndex.closeAll();
        }
    }

    @Test
    void onlyTheMostRecentlyUsedIndexesStayOpenAndEvictionIsSafeUnderLoad(@TempDir Path otherDataDir) throws Exception {
        KnowledgeIndex oneOpen = new KnowledgeIndex(jdbc, embedder, otherDataDir, 1);
        KnowledgeSearch node = new KnowledgeSearch(jdbc, embedder, oneOpen);
        try {
            UUID orgA = IdentityTestAccess.organization(context);
            UUID kbA = base(orgA);
            add(orgA, kbA, "hours.txt", HOURS);
            UUID orgB = IdentityTestAccess.organization(context);
            UUID kbB = base(orgB);
            add(orgB, kbB, "parking.txt", PARKING);

            assertThat(texts(node.search(orgA, List.of(kbA), "Monday", 5))).containsExactly(HOURS);
            assertThat(oneOpen.openCount()).isEqualTo(1);
            assertThat(texts(node.search(orgB, List.of(kbB), "parking", 5))).containsExactly(PARKING);
            assertThat(oneOpen.openCount()).isEqualTo(1);

            try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<List<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    boolean a = i % 2 == 0;
                    answers.add(threads.submit(() -> texts(a
                            ? node.search(orgA, List.of(kbA), "Monday", 5)
                            : node.search(orgB, List.of(kbB), "parking", 5))));
                }
                for (int i = 0; i < answers.size(); i++) {
                    assertThat(answers.get(i).get()).containsExactly(i % 2 == 0 ? HOURS : PARKING);
                }
            }
            assertThat(oneOpen.openCount()).isEqualTo(1);
        } finally {
            oneOpen.closeAll();
        }
    }
}
