package dev.palaver.providers.offline;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Resampler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text to PCM16 mono 16 kHz with FreeTTS ({@code net.sf.sociaal:freetts}), the pure-Java fallback when flite's
 * native library is missing. Voices come from the jar: kevin16 (16 kHz) and kevin (8 kHz, resampled).
 *
 * <p>Thread-safe by serialization: a FreeTTS voice speaks one utterance at a time through its own output
 * thread, and its lexicon and processors are shared, so every synthesis in the process takes one lock.
 */
public final class FreeTtsSynthesizer implements AutoCloseable {
    public static final String DEFAULT_VOICE = "kevin16";
    public static final List<String> VOICES = List.of("kevin16", "kevin");

    private static final Logger log = LoggerFactory.getLogger(FreeTtsSynthesizer.class);
    private static final ReentrantLock SPEAKING = new ReentrantLock();

    private final Map<String, Voice> available;
    /** Allocated voices with their capture players; guarded by {@link #SPEAKING}. */
    private final Map<String, CapturingAudioPlayer> allocated = new HashMap<>();
    private boolean closed;

    private FreeTtsSynthesizer(Map<String, Voice> available) {
        this.available = available;
    }

    /** Loads the voices and allocates the default one (a second or two: it reads the diphone database). */
    public static FreeTtsSynthesizer load() {
        Map<String, Voice> voices = Stream.of(new KevinVoiceDirectory().getVoices())
                .filter(voice -> VOICES.contains(voice.getName()))
                .collect(Collectors.toMap(Voice::getName, Function.identity()));
        if (!voices.keySet().containsAll(VOICES)) {
            throw new IllegalStateException("FreeTTS offers " + voices.keySet() + ", expected " + VOICES);
        }
        FreeTtsSynthesizer synthesizer = new FreeTtsSynthesizer(Map.copyOf(voices));
        SPEAKING.lock();
        try {
            synthesizer.player(DEFAULT_VOICE);
        } finally {
            SPEAKING.unlock();
        }
        log.info("FreeTTS loaded with voice {}", DEFAULT_VOICE);
        return synthesizer;
    }

    public List<String> voices() {
        return VOICES;
    }

    /** Speaks {@code text} with the {@value #DEFAULT_VOICE} voice. */
    public short[] synthesize(String text) {
        return synthesize(text, DEFAULT_VOICE);
    }

    /**
     * Speaks {@code text} (at most {@value OfflineSpeech#MAX_TEXT_LENGTH} characters) with {@code voice}, one of
     * {@link #VOICES}. Returns PCM16 mono at 16 kHz. Blank text gives no samples.
     */
    public short[] synthesize(String text, String voice) {
        SynthesisText.require(text);
        if (!VOICES.contains(voice)) {
            throw new IllegalArgumentException("unknown FreeTTS voice '" + voice + "'; FreeTTS has " + VOICES);
        }
        if (text.isBlank()) {
            return new short[0];
        }
        short[] samples;
        int rate;
        SPEAKING.lock();
        try {
            if (closed) {
                throw new IllegalStateException("FreeTTS synthesizer is closed");
            }
            CapturingAudioPlayer player = player(voice);
            player.reset();
            if (!available.get(voice).speak(text)) {
                player.reset();
                throw new IllegalStateException("FreeTTS could not speak the text with voice " + voice);
            }
            rate = player.sampleRate();
            samples = player.take();
        } finally {
            SPEAKING.unlock();
        }
        return rate == AudioFormat.SAMPLE_RATE ? samples : Resampler.convert(samples, rate, AudioFormat.SAMPLE_RATE);
    }

    /** Stops the voices' output threads. */
    @Override
    public void close() {
        SPEAKING.lock();
        try {
            if (!closed) {
                closed = true;
                allocated.keySet().forEach(name -> available.get(name).deallocate());
                allocated.clear();
            }
        } finally {
            SPEAKING.unlock();
        }
    }

    /** The capture player of {@code name}, allocating the voice on first use. Holds {@link #SPEAKING}. */
    private CapturingAudioPlayer player(String name) {
        CapturingAudioPlayer player = allocated.get(name);
        if (player == null) {
            Voice voice = available.get(name);
            player = new CapturingAudioPlayer();
            voice.setAudioPlayer(player);
            voice.allocate();
            allocated.put(name, player);
        }
        return player;
    }
}
