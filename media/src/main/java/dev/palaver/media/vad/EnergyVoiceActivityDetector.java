package dev.palaver.media.vad;

import dev.palaver.media.audio.AudioFormat;
import java.util.Objects;

/**
 * A model-free detector for 16 kHz audio. A window counts as speech when its energy stands out from an
 * adaptive noise floor and its spectrum is not flat: voiced speech puts its energy in harmonics and
 * formants, while hiss and white noise spread it evenly, so loud steady noise is not taken for speech
 * even before the floor has caught up with it. The floor falls at once to quieter windows, follows
 * non-speech windows quickly and rises only slowly under speech-like sound. Allocates nothing per window.
 */
public final class EnergyVoiceActivityDetector implements VoiceActivityDetector {

    /**
     * @param windowSamples samples judged at a time
     * @param speechSnrDb energy above the noise floor at which the energy cue gives probability 0.5
     * @param minSpeechDbfs windows quieter than this are never speech
     * @param maxFlatness spectral flatness (0 for a pure tone, about 0.56 for white noise) at which the
     *     spectral cue gives probability 0.5
     * @param initialNoiseFloorDbfs the floor assumed at the start of a stream
     * @param floorRiseDbPerSecond how fast the floor may rise under speech-like sound
     * @param noiseTrackingSeconds time constant with which the floor follows non-speech sound
     */
    public record Settings(int windowSamples, float speechSnrDb, float minSpeechDbfs, float maxFlatness,
            float initialNoiseFloorDbfs, float floorRiseDbPerSecond, float noiseTrackingSeconds) {

        public Settings {
            if (windowSamples < 64 || windowSamples > 4096) {
                throw new IllegalArgumentException("window of " + windowSamples + " samples");
            }
            if (!(speechSnrDb > 0) || !(maxFlatness > 0 && maxFlatness < 1) || !(floorRiseDbPerSecond >= 0)
                    || !(noiseTrackingSeconds > 0)) {
                throw new IllegalArgumentException("invalid energy VAD settings " + this);
            }
        }

        /** 32 ms windows (as Silero uses), 6 dB above the floor, flatness under 0.3, nothing under -55 dBFS. */
        public static Settings defaults() {
            return new Settings(512, 6f, -55f, 0.3f, -60f, 3f, 0.4f);
        }
    }

    private static final double FULL_SCALE_POWER = 32768.0 * 32768.0;
    private static final float SILENCE_DBFS = -100f;
    private static final float FLOOR_FALL_SECONDS = 0.02f;
    /** Voiced speech's harmonics and formants live here; above 3.8 kHz phone audio has nothing. */
    private static final int FLATNESS_LOW_HZ = 150;
    private static final int FLATNESS_HIGH_HZ = 3800;
    private static final float ENERGY_SLOPE_DB = 2f;
    private static final float FLATNESS_SLOPE = 0.04f;

    private final Settings settings;
    private final PowerSpectrum spectrum;
    private final int lowBin;
    private final int highBin;
    private final float fallAlpha;
    private final float noiseAlpha;
    private final float risePerWindowDb;
    private float noiseFloorDbfs;
    private float lastEnergyDbfs = SILENCE_DBFS;
    private float lastFlatness = 1f;

    public EnergyVoiceActivityDetector() {
        this(Settings.defaults());
    }

    public EnergyVoiceActivityDetector(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.spectrum = new PowerSpectrum(settings.windowSamples());
        double binHz = (double) AudioFormat.SAMPLE_RATE / spectrum.size();
        this.lowBin = (int) Math.ceil(FLATNESS_LOW_HZ / binHz);
        this.highBin = (int) Math.floor(FLATNESS_HIGH_HZ / binHz);
        float windowSeconds = (float) settings.windowSamples() / AudioFormat.SAMPLE_RATE;
        this.fallAlpha = (float) (1 - Math.exp(-windowSeconds / FLOOR_FALL_SECONDS));
        this.noiseAlpha = (float) (1 - Math.exp(-windowSeconds / settings.noiseTrackingSeconds()));
        this.risePerWindowDb = settings.floorRiseDbPerSecond() * windowSeconds;
        reset();
    }

    @Override
    public int windowSamples() {
        return settings.windowSamples();
    }

    @Override
    public float speechProbability(short[] samples, int offset) {
        Objects.checkFromIndexSize(offset, settings.windowSamples(), samples.length);
        float energy = energyDbfs(samples, offset);
        float flatness = flatness(spectrum.compute(samples, offset));
        lastEnergyDbfs = energy;
        lastFlatness = flatness;

        float probability = energy < settings.minSpeechDbfs() ? 0f
                : logistic((energy - noiseFloorDbfs - settings.speechSnrDb()) / ENERGY_SLOPE_DB)
                        * logistic((settings.maxFlatness() - flatness) / FLATNESS_SLOPE);
        trackNoiseFloor(energy, probability >= 0.5f);
        return probability;
    }

    /** The current noise floor estimate. */
    public float noiseFloorDbfs() {
        return noiseFloorDbfs;
    }

    /** Energy of the last window judged. */
    public float lastEnergyDbfs() {
        return lastEnergyDbfs;
    }

    /** Spectral flatness of the last window judged, in [0, 1]. */
    public float lastFlatness() {
        return lastFlatness;
    }

    @Override
    public void reset() {
        noiseFloorDbfs = settings.initialNoiseFloorDbfs();
        lastEnergyDbfs = SILENCE_DBFS;
        lastFlatness = 1f;
    }

    @Override
    public void close() {
        // holds no resources
    }

    private void trackNoiseFloor(float energy, boolean speechLike) {
        if (energy < noiseFloorDbfs) {
            noiseFloorDbfs += (energy - noiseFloorDbfs) * fallAlpha;
        } else if (speechLike) {
            noiseFloorDbfs += Math.min(risePerWindowDb, energy - noiseFloorDbfs);
        } else {
            noiseFloorDbfs += (energy - noiseFloorDbfs) * noiseAlpha;
        }
    }

    private float energyDbfs(short[] samples, int offset) {
        double sum = 0;
        int n = settings.windowSamples();
        for (int i = offset; i < offset + n; i++) {
            sum += (double) samples[i] * samples[i];
        }
        if (sum == 0) {
            return SILENCE_DBFS;
        }
        return (float) Math.max(SILENCE_DBFS, 10 * Math.log10(sum / n / FULL_SCALE_POWER));
    }

    /** Geometric over arithmetic mean of the power spectrum in the speech band. */
    private float flatness(float[] power) {
        double logSum = 0;
        double sum = 0;
        for (int k = lowBin; k <= highBin; k++) {
            sum += power[k];
        }
        if (sum <= 0) {
            return 1f;
        }
        int bins = highBin - lowBin + 1;
        double mean = sum / bins;
        double tiny = mean * 1e-10; // a bin of exactly zero would send the geometric mean to zero
        for (int k = lowBin; k <= highBin; k++) {
            logSum += Math.log(power[k] + tiny);
        }
        return (float) (Math.exp(logSum / bins) / mean);
    }

    private static float logistic(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
