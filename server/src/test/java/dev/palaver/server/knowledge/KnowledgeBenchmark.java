package dev.palaver.server.knowledge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.palaver.server.PalaverApplication;

/**
 * {@code bench/run-knowledge}: Palaver on its embedded PostgreSQL in a temporary data directory; seeds
 * synthetic documents through {@link KnowledgeBases} (chunking and MiniLM embedding included) into one
 * knowledge base until it holds exactly the requested number of chunks, then times searches through
 * {@link KnowledgeSearch} (PostgreSQL generation check, query embedding, BM25, HNSW, fusion) one at a time.
 * Not a test: no assertion on time. Ends with one {@code RESULT} line.
 */
public final class KnowledgeBenchmark {

    private static final String[] CITIES = {"Lisbon", "Porto", "Berlin", "Munich", "Lyon", "Paris", "Madrid", "Seville",
            "Milan", "Turin", "Vienna", "Prague", "Dublin", "Cork", "Oslo", "Bergen", "Krakow", "Gdansk", "Ghent", "Leeds"};
    private static final String[] SERVICES = {"haircut", "colouring", "beard trim", "massage", "manicure", "pedicure",
            "facial", "eyebrow shaping", "wedding styling", "scalp treatment", "blow dry", "keratin treatment",
            "home delivery", "express repair", "gift wrapping", "car rental", "bike repair", "window cleaning",
            "tax advice", "dental check-up", "eye test", "vaccination", "physiotherapy", "yoga class", "piano lesson"};
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] TOPICS = {"opening hours", "prices", "cancellations", "refunds", "parking",
            "accessibility", "payment methods", "gift vouchers", "loyalty points", "holiday closures", "staff training",
            "hygiene rules", "pets", "children", "group bookings", "late arrivals", "deposits", "warranty", "allergies"};
    private static final String[] TEMPLATES = {
            "Our %s branch offers %s on %s from %d am to %d pm, and bookings can be made by phone or online.",
            "A %s in %s costs %d euros, and members of the loyalty programme get %d percent off on %s.",
            "The policy on %s in %s is simple: tell us %d hours ahead and we will move your %s to another %s.",
            "Customers in %s often ask about %s; the answer is that %s is available for %d euros every %s.",
            "Please note that the %s branch closes early on %s at %d pm for %s, reopening the next day at %d am.",
            "For %s we accept cash, cards and mobile payments in %s, and a deposit of %d euros secures any %s on %s.",
            "Our team in %s completed a course on %s last year, so every %s now includes a %d minute consultation on %s.",
            "Parking near the %s shop is free for %d hours on %s; the %s entrance has a ramp and the %s desk is low."};
    private static final String[] QUERIES = {
            "What are your opening hours in Lisbon?", "How much is a haircut?", "Can I cancel my appointment?",
            "Do you take credit cards?", "Where can I park my car?", "Are dogs allowed?", "Is there a discount for members?",
            "When do you close on Saturday?", "Do you do wedding hair?", "How do I get a refund?",
            "Is the shop wheelchair accessible?", "Can I buy a gift voucher?", "What happens if I am late?",
            "Do you have a branch in Berlin?", "How much does a massage cost in Vienna?", "Are you open on Sunday?",
            "Can I bring my children?", "Do I need to pay a deposit?", "Do you offer group bookings for a party?",
            "What is the warranty on repairs?", "I have a nut allergy, is that a problem?", "express repair price",
            "keratin treatment Porto", "holiday closures December", "loyalty points expiry", "yoga class schedule Oslo",
            "How early should I book physiotherapy?", "bike repair on Tuesday", "Is tax advice available online?",
            "When does the Madrid branch reopen?"};

    private KnowledgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int chunks = intArg(args, "--chunks", 10_000);
        int searches = intArg(args, "--searches", 2_000);
        String keep = stringArg(args, "--data-dir");
        Path dataDir = keep != null ? Files.createDirectories(Path.of(keep)) : Files.createTempDirectory("palaver-bench-knowledge-");
        try {
            run(dataDir, chunks, searches);
        } finally {
            if (keep == null) {
                deleteTree(dataDir);
            }
        }
    }

    private static void run(Path dataDir, int targetChunks, int searches) {
        SpringApplication app = PalaverApplication.application();
        String[] settings = {"--palaver.data-dir=" + dataDir, "--palaver.database.url=", "--palaver.redis-url=",
                "--server.port=0", "--logging.level.root=WARN", "--logging.level.dev.palaver=WARN",
                "--palaver.rate-limits.api-per-minute=100000000"};
        try (ConfigurableApplicationContext context = app.run(settings)) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            KnowledgeBases bases = context.getBean(KnowledgeBases.class);
            KnowledgeSearch search = context.getBean(KnowledgeSearch.class);
            UUID org = jdbc.sql("select id from organizations order by id limit 1").query(UUID.class).single();
            UUID kb = jdbc.sql("select id from knowledge_bases where org_id = ? and name = 'Benchmark'").param(org)
                    .query(UUID.class).optional()
                    .orElseGet(() -> bases.create(org, null, "Benchmark", "Synthetic branch information").id());

            long seedStart = System.nanoTime();
            Random random = new Random(42);
            int stored = jdbc.sql("select count(*) from knowledge_chunks where knowledge_base_id = ?").param(kb)
                    .query(Integer.class).single();
            int documents = jdbc.sql("select count(*) from knowledge_documents where knowledge_base_id = ?").param(kb)
                    .query(Integer.class).single();
            while (stored < targetChunks) {
                String text = document(random, Math.min(50, targetChunks - stored));
                var doc = bases.addDocument(org, null, kb, "branch-" + documents + ".txt", "text/plain",
                        text.getBytes(StandardCharsets.UTF_8));
                stored += doc.chunkCount();
                documents++;
                if (documents % 20 == 0) {
                    System.err.printf(Locale.ROOT, "seeded %d chunks in %d documents%n", stored, documents);
                }
            }
            long inDb = jdbc.sql("select count(*) from knowledge_chunks where knowledge_base_id = ?").param(kb)
                    .query(Long.class).single();
            System.err.printf(Locale.ROOT, "seeded %d chunks (%d documents) in %.1f s%n", inDb, documents,
                    (System.nanoTime() - seedStart) / 1e9);

            List<UUID> kbs = List.of(kb);
            // Warm-up: the JIT, and the index's background merges after the last uploads.
            for (int i = 0; i < 1000; i++) {
                search.search(org, kbs, QUERIES[i % QUERIES.length], 5);
            }
            long[] nanos = new long[searches];
            for (int i = 0; i < searches; i++) {
                String query = QUERIES[i % QUERIES.length];
                long start = System.nanoTime();
                KnowledgeSearch.Result result = search.search(org, kbs, query, 5);
                nanos[i] = System.nanoTime() - start;
                if (!KnowledgeSearch.HYBRID.equals(result.mode()) || result.results().size() != 5) {
                    throw new IllegalStateException("search " + i + " answered " + result.mode() + " with "
                            + result.results().size() + " results");
                }
            }
            Arrays.sort(nanos);
            System.err.printf(Locale.ROOT, "%d searches: min %.2f ms, max %.2f ms%n", searches, nanos[0] / 1e6,
                    nanos[searches - 1] / 1e6);
            phases(context, org, kbs, searches);
            System.out.printf(Locale.ROOT, "RESULT suite=knowledge chunks=%d search_p50_ms=%.2f search_p99_ms=%.2f%n",
                    inDb, percentile(nanos, 50) / 1e6, percentile(nanos, 99) / 1e6);
        }
    }

    /** Exactly {@code chunks} chunks' worth of varied sentences (grown a sentence at a time, counted by the chunker). */
    private static String document(Random random, int chunks) {
        StringBuilder text = new StringBuilder();
        // Chunks carry well over 300 new characters each: until then no count is needed.
        while (text.length() < chunks * 300) {
            text.append(sentence(random)).append(random.nextInt(6) == 0 ? "\n\n" : " ");
        }
        String last = "";
        while (true) {
            StringBuilder next = new StringBuilder(text);
            next.append(sentence(random)).append(random.nextInt(6) == 0 ? "\n\n" : " ");
            int count = Chunker.chunk(next.toString()).size();
            if (count > chunks) {
                return last.isEmpty() ? next.toString() : last;
            }
            text = next;
            last = text.toString();
            if (count == chunks && random.nextInt(3) == 0) {
                return last;
            }
        }
    }

    private static String sentence(Random random) {
        String template = TEMPLATES[random.nextInt(TEMPLATES.length)];
        List<Object> values = new ArrayList<>();
        int slots = template.split("%", -1).length - 1;
        for (int i = 0; i < slots; i++) {
            int at = nthSlot(template, i);
            values.add(template.charAt(at + 1) == 'd' ? 1 + random.nextInt(60) : pick(random));
        }
        return String.format(Locale.ROOT, template, values.toArray());
    }

    private static int nthSlot(String template, int n) {
        int at = -1;
        for (int i = 0; i <= n; i++) {
            at = template.indexOf('%', at + 1);
        }
        return at;
    }

    private static String pick(Random random) {
        String[][] pools = {CITIES, SERVICES, DAYS, TOPICS};
        String[] pool = pools[random.nextInt(pools.length)];
        return pool[random.nextInt(pool.length)];
    }

    /** Where a search's time goes: the generation check, the query's embedding, the index alone. */
    private static void phases(ConfigurableApplicationContext context, UUID org, List<UUID> kbs, int n) {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        Embedder embedder = context.getBean(Embedder.class);
        KnowledgeIndex index = context.getBean(KnowledgeIndex.class);
        long generation = KnowledgeChanges.current(jdbc, org);
        float[][] vectors = new float[QUERIES.length][];
        for (int i = 0; i < QUERIES.length; i++) {
            vectors[i] = Embeddings.embedOne(embedder, QUERIES[i]);
        }
        long[] pg = new long[n];
        long[] embed = new long[n];
        long[] lucene = new long[n];
        for (int i = 0; i < n; i++) {
            int q = i % QUERIES.length;
            long t0 = System.nanoTime();
            KnowledgeChanges.current(jdbc, org);
            long t1 = System.nanoTime();
            Embeddings.embedOne(embedder, QUERIES[q]);
            long t2 = System.nanoTime();
            index.search(org, generation, kbs, QUERIES[q], vectors[q], 5);
            long t3 = System.nanoTime();
            pg[i] = t1 - t0;
            embed[i] = t2 - t1;
            lucene[i] = t3 - t2;
        }
        for (long[] a : List.of(pg, embed, lucene)) {
            Arrays.sort(a);
        }
        System.err.printf(Locale.ROOT, "phases p50/p99 ms: generation check %.2f/%.2f, query embedding %.2f/%.2f, index %.2f/%.2f%n",
                percentile(pg, 50) / 1e6, percentile(pg, 99) / 1e6, percentile(embed, 50) / 1e6, percentile(embed, 99) / 1e6,
                percentile(lucene, 50) / 1e6, percentile(lucene, 99) / 1e6);
    }

    private static double percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static String stringArg(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
