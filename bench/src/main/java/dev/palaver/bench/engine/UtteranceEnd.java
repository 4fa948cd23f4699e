package dev.palaver.bench.engine;

import dev.palaver.media.audio.MuLaw;

/**
 * Where a caller's utterance really ends, read from its own phone frames rather than from any detector:
 * the last sample whose magnitude is at most {@value #RELATIVE_DB} dB below the utterance's loudest
 * sample (a voiced block's peak stands about 10 dB above its RMS, so this matches the engine's
 * {@code SpeechEndTracker}, which keeps 8 ms blocks within 30 dB of the loudest block's RMS, without
 * calling into it) and above {@value #FLOOR_DBFS} dBFS. Trailing silence, breath and line hiss below that
 * are not speech.
 *
 * @param frame  index of the phone frame holding the last voiced sample
 * @param sample index of that sample within the frame
 */
record UtteranceEnd(int frame, int sample) {

    static final double RELATIVE_DB = 40;
    static final double FLOOR_DBFS = -65;

    /** Samples of the frame that follow the last voiced one. */
    int samplesAfter() {
        return CallerAudio.FRAME_BYTES - 1 - sample;
    }

    static UtteranceEnd of(byte[][] utterance) {
        int peak = 0;
        for (byte[] frame : utterance) {
            for (byte code : frame) {
                peak = Math.max(peak, Math.abs(MuLaw.decode(code)));
            }
        }
        double floor = Math.max(peak * Math.pow(10, -RELATIVE_DB / 20), 32768 * Math.pow(10, FLOOR_DBFS / 20));
        for (int f = utterance.length - 1; f >= 0; f--) {
            for (int s = utterance[f].length - 1; s >= 0; s--) {
                if (Math.abs(MuLaw.decode(utterance[f][s])) >= floor) {
                    return new UtteranceEnd(f, s);
                }
            }
        }
        throw new IllegalArgumentException("the utterance has no sample above " + Math.round(floor));
    }
}
