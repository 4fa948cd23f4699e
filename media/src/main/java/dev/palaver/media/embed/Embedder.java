package dev.palaver.media.embed;

import java.util.List;

/**
 * Turns texts into fixed-length vectors for similarity search (knowledge, flow transitions). Calls block:
 * run them on a virtual thread, never on a call's loop. A failure is thrown as an unchecked exception
 * whose message is safe to log.
 */
public interface Embedder {

    /** The length of every vector this embedder returns. */
    int dimension();

    /** One vector of {@link #dimension()} floats per text, in the order of {@code texts}. */
    float[][] embed(List<String> texts);

    /** The vector of one text. */
    default float[] embed(String text) {
        return embed(List.of(text))[0];
    }
}
