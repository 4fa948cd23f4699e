package dev.palaver.bench.calls;

import dev.palaver.bench.Stats;
import dev.palaver.bench.calls.CallerSpeech.Utterance;
import dev.palaver.bench.engine.TelephoneEdge;
import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Framer;
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
        long voicedEnd = (long) u.length() * AudioFormat.SAMPLES_PER_FRAME;
        long[] samples = {0};
        long[] silentSince = {-1};
        // The engine's windows: Silero's size, judged as each completes.
        Framer windows = new Framer(vad.windowSamples(), window -> {
            samples[0] += window.length;
            if (vad.speechProbability(window, 0) >= stop) {
                silentSince[0] = -1;
            } else if (silentSince[0] < 0) {
                silentSince[0] = samples[0];
            }
        });
        for (int f = 0; f < u.length() + 100; f++) {
            String payload = f < u.length() ? u.frames().get(f) : CallerSpeech.SILENCE;
            short[] pcm = edge.toEngineFrame(Base64.getDecoder().decode(payload));
            windows.push(pcm, 0, pcm.length);
        }
        vad.close();
        return silentSince[0] < 0 ? Double.NaN : (silentSince[0] - voicedEnd) * 1000.0 / AudioFormat.SAMPLE_RATE;
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
