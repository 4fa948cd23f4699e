package dev.palaver.providers.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import dev.palaver.media.vad.SpeechDetector;
import dev.palaver.media.vad.SpeechDetector.Transition;
import dev.palaver.media.vad.VoiceActivityDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real Silero VAD v5 model (fetched by scripts/fetch-models when not present). */
class SileroVoiceActivityDetectorTest {
    private static final int WINDOW = 512;
    private static SileroModel model;
    /** flite -voice slt -t "Hello, I would like to book an appointment for tomorrow." (16 kHz mono). */
    private static short[] speech;

    @BeforeAll
    static void loadModel() throws Exception {
        model = SileroModel.load(SileroModels.locate());
        try (InputStream in = SileroVoiceActivityDetectorTest.class.getResourceAsStream(
                "/audio/book-appointment-slt-16k.wav")) {
            WavAudio audio = WavReader.read(in);
            assertThat(audio.sampleRate()).isEqualTo(16_000);
            assertThat(audio.channels()).isEqualTo(1);
            speech = audio.samples();
        }
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private static float[] probabilities(VoiceActivityDetector vad, short[] audio) {
        float[] out = new float[audio.length / WINDOW];
        for (int w = 0; w < out.length; w++) {
            out[w] = vad.speechProbability(audio, w * WINDOW);
        }
        return out;
    }

    private static float max(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static double fractionAtLeast(float[] values, float threshold) {
        int count = 0;
        for (float v : values) {
            if (v >= threshold) {
                count++;
            }
        }
        return (double) count / values.length;
    }

    private static short[] whiteNoise(int samples, double rms) {
        Random random = new Random(1);
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.clamp(Math.round(random.nextGaussian() * rms), Short.MIN_VALUE, Short.MAX_VALUE);
        }
        return out;
    }

    @Test
    void speechScoresHighWhereSilenceAndNoiseScoreLow() {
        try (var vad = model.newDetector()) {
            assertThat(vad.windowSamples()).isEqualTo(WINDOW);
            float[] silence = probabilities(vad, new short[32_000]);
            float[] spoken = probabilities(vad, speech);
            float[] noise = probabilities(vad, whiteNoise(32_000, 3000));

            assertThat(max(silence)).isLessThan(0.1f);
            assertThat(max(noise)).isLessThan(0.2f);
            assertThat(max(spoken)).isGreaterThan(0.95f);
            // The sentence is about three quarters speech, with silence before, after and between phrases.
            assertThat(fractionAtLeast(spoken, 0.5f)).isGreaterThan(0.6);
        }
    }

    @Test
    void resetReturnsToTheStateOfAFreshDetector() {
        try (var used = model.newDetector(); var fresh = model.newDetector()) {
            probabilities(used, speech);
            float[] withoutReset = probabilities(used, speech);
            used.reset();
            float[] afterReset = probabilities(used, speech);
            float[] expected = probabilities(fresh, speech);

            assertThat(afterReset).isEqualTo(expected);
            assertThat(withoutReset).as("state carries over between windows").isNotEqualTo(expected);
        }
    }

    @Test
    void eachWindowIsPrecededByTheLast64SamplesOfTheWindowBefore() {
        short[] ramp = new short[3 * WINDOW];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (short) (i * 16 - 12_000);
        }
        try (var vad = model.newDetector()) {
            vad.speechProbability(ramp, 0);
            for (int i = 0; i < 64; i++) {
                assertThat(vad.modelInput(i)).as("no context before the first window").isZero();
            }
            vad.speechProbability(ramp, WINDOW);
            for (int i = 0; i < 64; i++) {
                assertThat(vad.modelInput(i)).isEqualTo(ramp[WINDOW - 64 + i] / 32768f);
            }
            for (int i = 0; i < WINDOW; i++) {
                assertThat(vad.modelInput(64 + i)).isEqualTo(ramp[WINDOW + i] / 32768f);
            }
            vad.reset();
            vad.speechProbability(ramp, 2 * WINDOW);
            for (int i = 0; i < 64; i++) {
                assertThat(vad.modelInput(i)).as("context cleared by reset").isZero();
            }
        }
    }

    @Test
    void detectorsSharingOneModelGiveIdenticalResultsForIdenticalInput() throws Exception {
        try (var first = model.newDetector(); var second = model.newDetector()) {
            float[] a = new float[speech.length / WINDOW];
            float[] b = new float[a.length];
            for (int w = 0; w < a.length; w++) { // interleaved: neither sees the other's state
                a[w] = first.speechProbability(speech, w * WINDOW);
                b[w] = second.speechProbability(speech, w * WINDOW);
            }
            assertThat(b).isEqualTo(a);

            first.reset();
            second.reset();
            try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
                Future<float[]> onOne = threads.submit(() -> probabilities(first, speech));
                Future<float[]> onOther = threads.submit(() -> probabilities(second, speech));
                assertThat(onOne.get()).isEqualTo(a);
                assertThat(onOther.get()).isEqualTo(a);
            }
        }
    }

    @Test
    void drivesTheSpeechDetectorFrom20MsFrames() {
        short[] call = new short[16_000 + speech.length + 16_000];
        System.arraycopy(speech, 0, call, 16_000, speech.length);
        List<Transition> transitions = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        try (var detector = new SpeechDetector(model.newDetector(), SpeechDetector.Settings.defaults())) {
            for (int at = 0; at + 320 <= call.length; at += 320) {
                Transition transition = detector.accept(call, at);
                if (transition == Transition.STARTED) {
                    starts.add(detector.speechStartSample());
                }
                if (transition != Transition.NONE) {
                    transitions.add(transition);
                }
            }
            assertThat(detector.inSpeech()).isFalse();
            assertThat(detector.speechEndSample()).isBetween(16_000L + speech.length - 8000, 16_000L + speech.length);
        }
        assertThat(transitions.getFirst()).isEqualTo(Transition.STARTED);
        assertThat(transitions.getLast()).isEqualTo(Transition.STOPPED);
        assertThat(starts.getFirst()).isBetween(16_000L, 16_000L + 8000);
    }

    /** One past the last sample of {@code audio} at or above 1 % (-40 dB) of its loudest. */
    private static int lastAudibleSample(short[] audio) {
        int peak = 0;
        for (short s : audio) {
            peak = Math.max(peak, Math.abs(s));
        }
        for (int i = audio.length - 1; i >= 0; i--) {
            if (Math.abs(audio[i]) * 100 >= peak) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The dated end of the last speech segment in {@code call}, fed in 20 ms frames. */
    private static long datedSpeechEnd(short[] call) {
        try (var detector = new SpeechDetector(model.newDetector(), SpeechDetector.Settings.defaults())) {
            for (int at = 0; at + 320 <= call.length; at += 320) {
                detector.accept(call, at);
            }
            assertThat(detector.inSpeech()).isFalse();
            return detector.speechEndSample();
        }
    }

    @Test
    void theSilenceIsDatedWhereTheFliteSpeechEndsNotWhereSileroGivesUp() {
        long end = 16_000 + lastAudibleSample(speech);
        short[] call = new short[16_000 + speech.length + 24_000];
        System.arraycopy(speech, 0, call, 16_000, speech.length);
        short[] noisy = call.clone();
        short[] hiss = whiteNoise(noisy.length, 30); // -61 dBFS line noise
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = (short) Math.clamp(noisy[i] + hiss[i], Short.MIN_VALUE, Short.MAX_VALUE);
        }

        long quiet = datedSpeechEnd(call);
        long underNoise = datedSpeechEnd(noisy);
        System.out.printf("flite speech ends at %d ms; silence dated at %d ms (clean), %d ms (hiss)%n",
                end / 16, quiet / 16, underNoise / 16);

        assertThat(quiet).isBetween(end - 640, end + 640); // within 40 ms
        assertThat(underNoise).isBetween(end - 640, end + 640);
    }

    @Test
    void refusesWindowsOutsideTheBuffer() {
        try (var vad = model.newDetector()) {
            assertThatThrownBy(() -> vad.speechProbability(new short[600], 100))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void loadingFailsClearlyForAMissingOrForeignFile(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> SileroModel.load(dir.resolve("absent.onnx")))
                .isInstanceOf(IOException.class).hasMessageContaining("fetch-models");
        Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> SileroModel.load(garbage)).isInstanceOf(IOException.class);
    }

    @Test
    void defaultPathPrefersTheExplicitModelThenTheModelsDirectoryThenTheUserCache() {
        Path home = Path.of("/home/someone");
        assertThat(SileroModel.defaultPath(Map.of("PALAVER_SILERO_MODEL", "/models/vad.onnx",
                "PALAVER_MODELS_DIR", "/elsewhere"), home)).isEqualTo(Path.of("/models/vad.onnx"));
        assertThat(SileroModel.defaultPath(Map.of("PALAVER_MODELS_DIR", "/srv/models"), home))
                .isEqualTo(Path.of("/srv/models/silero_vad_v5.onnx"));
        assertThat(SileroModel.defaultPath(Map.of(), home))
                .isEqualTo(Path.of("/home/someone/.cache/palaver/models/silero_vad_v5.onnx"));
    }
}
