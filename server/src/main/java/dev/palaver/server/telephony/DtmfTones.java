package dev.palaver.server.telephony;

import dev.palaver.media.audio.MuLaw;

/** DTMF keys as audio: the two ITU-T Q.23 frequencies of each key, summed, then silence. */
final class DtmfTones {

    static final int TONE_MILLIS = 100;
    static final int GAP_MILLIS = 60;
    private static final String KEYS = "123A456B789C*0#D";
    private static final int[] ROWS = {697, 770, 852, 941};
    private static final int[] COLUMNS = {1209, 1336, 1477, 1633};

    private DtmfTones() {
    }

    /** The tones of {@code digits} as 16-bit samples; characters that are not keys are skipped. */
    static short[] pcm(String digits, int sampleRate) {
        int tone = sampleRate * TONE_MILLIS / 1000;
        int gap = sampleRate * GAP_MILLIS / 1000;
        String keys = digits.toUpperCase(java.util.Locale.ROOT).chars()
                .filter(c -> KEYS.indexOf(c) >= 0)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        short[] out = new short[keys.length() * (tone + gap)];
        for (int k = 0; k < keys.length(); k++) {
            int index = KEYS.indexOf(keys.charAt(k));
            double low = ROWS[index / 4];
            double high = COLUMNS[index % 4];
            for (int i = 0; i < tone; i++) {
                double t = (double) i / sampleRate;
                out[k * (tone + gap) + i] = (short) (8_000 * (Math.sin(2 * Math.PI * low * t) + Math.sin(2 * Math.PI * high * t)));
            }
        }
        return out;
    }

    static byte[] mulaw(String digits, int sampleRate) {
        short[] pcm = pcm(digits, sampleRate);
        byte[] out = new byte[pcm.length];
        MuLaw.encode(pcm, 0, out, 0, pcm.length);
        return out;
    }
}
