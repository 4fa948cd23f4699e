package dev.palaver.server.knowledge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Calls an {@link Embedder} and checks what comes back: the right count and dimension, finite values, not
 * all zero. Vectors are scaled to unit length, so a dot product is their cosine similarity. Anything
 * else is a failure of the embedder, never a vector.
 */
final class Embeddings {

    /** Texts per call to the embedder: keeps requests to a remote model bounded. */
    static final int BATCH = 64;

    private Embeddings() {
    }

    /** The embedder failed or answered something unusable. */
    static final class EmbeddingFailed extends RuntimeException {
        EmbeddingFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static float[] embedOne(Embedder embedder, String text) {
        return embedAll(embedder, List.of(text))[0];
    }

    static float[][] embedAll(Embedder embedder, List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + BATCH));
            float[][] vectors;
            try {
                vectors = embedder.embed(batch);
            } catch (RuntimeException e) {
                throw new EmbeddingFailed("the embedder " + embedder.id() + " failed: " + e.getClass().getSimpleName(), e);
            }
            if (vectors == null || vectors.length != batch.size()) {
                throw new EmbeddingFailed("the embedder " + embedder.id() + " answered "
                        + (vectors == null ? "nothing" : vectors.length + " vectors") + " for " + batch.size() + " texts", null);
            }
            for (int i = 0; i < vectors.length; i++) {
                out[from + i] = unit(embedder, vectors[i]);
            }
        }
        return out;
    }

    private static float[] unit(Embedder embedder, float[] v) {
        if (v == null || v.length != embedder.dimension()) {
            throw new EmbeddingFailed("the embedder " + embedder.id() + " answered a vector of dimension "
                    + (v == null ? 0 : v.length) + ", not " + embedder.dimension(), null);
        }
        double sum = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new EmbeddingFailed("the embedder " + embedder.id() + " answered a non-finite value", null);
            }
            sum += (double) x * x;
        }
        if (sum < 1e-12) {
            throw new EmbeddingFailed("the embedder " + embedder.id() + " answered a zero vector", null);
        }
        float norm = (float) Math.sqrt(sum);
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] / norm;
        }
        return u;
    }

    /** float32, little-endian: how vectors are stored in PostgreSQL. */
    static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] fromBytes(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
