package dev.palaver.providers.offline;

/**
 * One audio source heard as a series of utterances, such as a caller's side of a call. pocketsphinx
 * normalizes each utterance by a running cepstral mean; a channel keeps that mean from one utterance to its
 * next, whichever pooled decoder runs it, so recognition adapts to the source's microphone and line. This
 * matters most for narrowband audio: telephone speech (4 kHz band) is far from the wideband model's initial
 * mean. Utterances started from the recognizer directly, by contrast, each start from that initial mean.
 *
 * <p>Thread-safe, but a channel's utterances are meant to run one after another.
 */
public final class PocketsphinxChannel {
    private final PocketsphinxRecognizer recognizer;
    /** Null until the first utterance finishes: the model's initial mean. Guarded by this. */
    private float[] mean;

    PocketsphinxChannel(PocketsphinxRecognizer recognizer) {
        this.recognizer = recognizer;
    }

    /** Starts an utterance that continues from what this channel's previous utterances taught the decoder. */
    public PocketsphinxUtterance startUtterance() {
        return recognizer.startUtterance(this);
    }

    /** The transcript of a whole utterance of this channel. */
    public String recognize(short[] samples) {
        return recognizer.recognize(this, samples, 0, samples.length);
    }

    synchronized float[] mean() {
        return mean == null ? null : mean.clone();
    }

    synchronized void adapt(float[] mean) {
        this.mean = mean.clone();
    }
}
