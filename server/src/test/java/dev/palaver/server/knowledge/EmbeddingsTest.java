package dev.palaver.server.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class EmbeddingsTest {

    private static Embedder answering(int dimension, Function<List<String>, float[][]> answer) {
        return new Embedder() {
            @Override
            public String id() {
                return "fake";
            }

            @Override
            public int dimension() {
                return dimension;
            }

            @Override
            public float[][] embed(List<String> texts) {
                return answer.apply(texts);
            }
        };
    }

    @Test
    void vectorsAreScaledToUnitLengthAndSurviveStorage() {
        float[] v = Embeddings.embedOne(answering(2, t -> new float[][] {{3, 4}}), "x");
        assertThat(v[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(v[1]).isCloseTo(0.8f, within(1e-6f));
        assertThat(Embeddings.fromBytes(Embeddings.toBytes(v))).containsExactly(v);
    }

    @Test
    void unusableAnswersAreFailuresNeverVectors() {
        List<Embedder> broken = List.of(
                answering(2, t -> new float[][] {{0, 0}}),
                answering(2, t -> new float[][] {{Float.NaN, 1}}),
                answering(2, t -> new float[][] {{1, 1, 1}}),
                answering(2, t -> new float[0][]),
                answering(2, t -> null),
                answering(2, t -> {
                    throw new IllegalStateException("connection refused");
                }));
        for (Embedder embedder : broken) {
            assertThatThrownBy(() -> Embeddings.embedOne(embedder, "x")).isInstanceOf(Embeddings.EmbeddingFailed.class);
        }
    }

    @Test
    void anEngineEmbedderJoinsUnderAModelName() {
        dev.palaver.media.embed.Embedder engine = new dev.palaver.media.embed.Embedder() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public float[][] embed(List<String> texts) {
                return new float[][] {{0, 2}};
            }
        };
        Embedder named = Embedder.named("openai:text-embedding-3-small", engine);
        assertThat(named.id()).isEqualTo("openai:text-embedding-3-small");
        assertThat(named.dimension()).isEqualTo(2);
        assertThat(Embeddings.embedOne(named, "x")).containsExactly(0f, 1f);
    }

    @Test
    void manyTextsGoToTheEmbedderInBoundedBatches() {
        List<Integer> batchSizes = new ArrayList<>();
        Embedder counting = answering(1, t -> {
            batchSizes.add(t.size());
            float[][] out = new float[t.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new float[] {Float.parseFloat(t.get(i)) + 1};
            }
            return out;
        });
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            texts.add(Integer.toString(i));
        }
        float[][] vectors = Embeddings.embedAll(counting, texts);
        assertThat(batchSizes).containsExactly(Embeddings.BATCH, Embeddings.BATCH, 150 - 2 * Embeddings.BATCH);
        assertThat(vectors.length).isEqualTo(150);
        for (int i = 0; i < vectors.length; i++) {
            assertThat(vectors[i]).as("vector %d, in order", i).containsExactly(1f);
        }
    }
}
