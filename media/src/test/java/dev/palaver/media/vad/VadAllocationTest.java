package dev.palaver.media.vad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.Allocations;
import dev.palaver.media.audio.AudioFormat;
import org.junit.jupiter.api.Test;

class VadAllocationTest {

    @Test
    void judgingWindowsAndFramesDoesNotAllocate() throws Exception {
        short[] audio = SyntheticSpeech.speech(1, 8000, 1);
        var vad = new EnergyVoiceActivityDetector();
        int[] at = new int[1];
        long vadBytes = Allocations.bytesAllocated(500, () -> {
            vad.speechProbability(audio, at[0]);
            at[0] = (at[0] + 512) % (audio.length - 512);
        });
        assertThat(vadBytes).isLessThan(2048);

        var detector = new SpeechDetector(new EnergyVoiceActivityDetector(), SpeechDetector.Settings.defaults());
        int[] frame = new int[1];
        long detectorBytes = Allocations.bytesAllocated(500, () -> {
            detector.accept(audio, frame[0] * AudioFormat.SAMPLES_PER_FRAME);
            frame[0] = (frame[0] + 1) % (audio.length / AudioFormat.SAMPLES_PER_FRAME);
        });
        assertThat(detectorBytes).isLessThan(2048);
    }
}
