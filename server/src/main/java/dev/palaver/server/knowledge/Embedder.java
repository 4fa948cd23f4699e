package dev.palaver.server.knowledge;

/**
 * The engine's {@link dev.palaver.media.embed.Embedder} plus the name of its model. Knowledge stores vectors
 * and compares them across time, so it must know which model made them: vectors of different ids are never
 * compared. The offline default is {@link MiniLmEmbedder}; any other (such as the providers' OpenAI-compatible
 * embedder) joins through {@link #named}. Failures are thrown; callers never substitute zero vectors.
 */
public interface Embedder extends dev.palaver.media.embed.Embedder {

    /** Names the model and its settings, e.g. {@code openai:text-embedding-3-small}. */
    String id();

    /** An engine embedder under a model name. */
    static Embedder named(String id, dev.palaver.media.embed.Embedder embedder) {
        java.util.Objects.requireNonNull(id, "id");
        java.util.Objects.requireNonNull(embedder, "embedder");
        return new Embedder() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public int dimension() {
                return embedder.dimension();
            }

            @Override
            public float[][] embed(java.util.List<String> texts) {
                return embedder.embed(texts);
            }

            @Override
            public String toString() {
                return "Embedder[" + id + "]";
            }
        };
    }
}
