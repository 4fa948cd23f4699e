package dev.palaver.server.knowledge;

import java.util.List;

/**
 * Turns texts into vectors whose cosine similarity says how alike their meanings are. The offline default
 * is {@link MiniLmEmbedder}; a cloud embedder (OpenAI-compatible) adapts to this by naming its model.
 * Implementations may throw on any failure: callers treat an exception as "no vectors now" and never
 * substitute zero vectors.
 */
public interface Embedder {

    /** Names the model and its settings: vectors from different ids are never compared. */
    String id();

    /** The length of every vector this embedder returns. */
    int dimension();

    /** One vector per text, in order. Texts are non-blank. */
    float[][] embed(List<String> texts);
}
