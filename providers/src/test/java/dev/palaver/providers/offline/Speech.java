package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.AudioFormat;
import java.util.Arrays;

/** Measurements of synthesized speech. */
final class Speech {
    private Speech() {
    }

    static double seconds(short[] samples) {
        return (double) samples.length / AudioFormat.SAMPLE_RATE;
    }

    static double rms(short[] samples) {
        double sum = 0;
        for (short sample : samples) {
            sum += (double) sample * sample;
        }
        return samples.length == 0 ? 0 : Math.sqrt(sum / samples.length);
    }

    /** Equal sample for sample; reports where they first differ instead of printing both clips. */
    static void assertSameAudio(short[] actual, short[] expected) {
        assertThat(actual.length).as("samples").isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as("first differing sample").isEqualTo(-1);
    }
}
