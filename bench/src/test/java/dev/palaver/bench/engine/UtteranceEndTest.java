package dev.palaver.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.audio.MuLaw;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UtteranceEndTest {

    @Test
    void findsTheLastVoicedSampleNotTheTrailingSilence() {
        byte[][] speech = CallerAudio.speechFrames(5, 3);
        byte[][] utterance = Arrays.copyOf(speech, speech.length + 4);
        for (int f = speech.length; f < utterance.length; f++) {
            utterance[f] = CallerAudio.silentFrame();
        }
        byte[] cut = utterance[2];
        Arrays.fill(cut, 101, cut.length, CallerAudio.SILENT_CODE);
        cut[100] = MuLaw.encode((short) 8_000);
        for (int f = 3; f < speech.length; f++) {
            utterance[f] = CallerAudio.silentFrame();
        }

        assertThat(UtteranceEnd.of(utterance)).isEqualTo(new UtteranceEnd(2, 100));
        assertThat(new UtteranceEnd(2, 100).samplesAfter()).isEqualTo(CallerAudio.FRAME_BYTES - 101);
    }

    @Test
    void hissWellBelowTheVoiceIsNotSpeech() {
        byte[][] utterance = {CallerAudio.silentFrame(), CallerAudio.silentFrame()};
        utterance[0][40] = MuLaw.encode((short) 10_000);
        // 46 dB below the peak, well above digital silence.
        Arrays.fill(utterance[1], MuLaw.encode((short) 50));

        assertThat(UtteranceEnd.of(utterance)).isEqualTo(new UtteranceEnd(0, 40));
    }

    @Test
    void rejectsAnUtteranceWithoutSound() {
        assertThatThrownBy(() -> UtteranceEnd.of(new byte[][] {CallerAudio.silentFrame()}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
