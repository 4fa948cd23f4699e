package dev.palaver.bench.calls;

import dev.palaver.bench.Stats;
import dev.palaver.bench.calls.CallerSpeech.Utterance;
import dev.palaver.bench.engine.TelephoneEdge;
import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.call.CallSettings;
import dev.palaver.media.vad.VoiceActivityDetector;
import dev.palaver.providers.offline.SileroModel;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * How far behind the caller's last voiced frame the engine's clock for the endpointing silence starts: each
 * utterance, then digital silence, goes through the phone edge (μ-law 8 kHz → 16 kHz) into Silero as a call
 * feeds it, and the lag is from the end of the last voiced frame to the completion of the first window of
 * the final run below the stop threshold (the reading the engine dates the silence from). This part of the
 * caller's turn time is spent before the engine's own turn metrics begin.
 */
final class SileroLag {

    private SileroLag() {
    }

    /** The lag (ms) per utterance, or an empty list when the model is not installed. */
    static List<Double> measure(CallerSpeech speech) {
        List<Double> lags = new ArrayList<>();
        float stop = CallSettings.builder().build().vadStopThreshold();
        try (SileroModel model = SileroModel.load(SileroModel.defaultPath())) {
            List<Utterance> all = new ArrayList<>(speech.turns());
            all.add(speech.bargeIn());
            for (Utterance u : all) {
                lags.add(lagMillis(model.newDetector(), u, stop));
            }
        } catch (Exception | LinkageError e) {
            System.err.println("Silero lag not measured: " + e.getMessage());
        }
        return lags;
    }

    private static double lagMillis(VoiceActivityDetector vad, Utterance u, float stop) {
        TelephoneEdge edge = new TelephoneEdge();
        short[] window = new short[vad.windowSamples()];
        int filled = 0;
        long samples = 0;
        long voicedEnd = (long) u.length() * AudioFormat.SAMPLES_PER_FRAME;
        long silentSince = -1;
        int frames = u.length() + 100;
        for (int f = 0; f < frames; f++) {
            String payload = f < u.length() ? u.frames().get(f) : CallerSpeech.SILENCE;
            short[] pcm = edge.toEngineFrame(Base64.getDecoder().decode(payload));
            int offset = 0;
            while (offset < pcm.length) {
                int n = Math.min(window.length - filled, pcm.length - offset);
                System.arraycopy(pcm, offset, window, filled, n);
                filled += n;
                offset += n;
                samples += n;
                if (filled == window.length) {
                    filled = 0;
                    float p = vad.speechProbability(window, 0);
                    if (p >= stop) {
                        silentSince = -1;
                    } else if (silentSince < 0) {
                        silentSince = samples;
                    }
                }
            }
        }
        vad.close();
        return silentSince < 0 ? Double.NaN : (silentSince - voicedEnd) * 1000.0 / AudioFormat.SAMPLE_RATE;
    }

    static String summary(List<Double> lags) {
        if (lags.isEmpty()) {
            return "Silero's decision lag: not measured (no model)";
        }
        Stats s = new Stats(lags.stream().mapToDouble(Double::doubleValue).toArray());
        return String.format(java.util.Locale.ROOT,
                "Silero's decision lag on the callers' speech (last voiced frame → the window the engine dates the"
                        + " silence from): min %.0f, mean %.0f, max %.0f ms over %d utterances",
                s.min(), s.mean(), s.max(), s.count());
    }
}
