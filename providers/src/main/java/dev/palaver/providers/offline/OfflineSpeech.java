package dev.palaver.providers.offline;

import dev.palaver.media.audio.Resampler;
import dev.palaver.providers.offline.OfflineSpeechStatus.Capability;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline speech engines this machine can run, chosen once at startup: flite for speech when its
 * native library loads, else FreeTTS; pocketsphinx for recognition when it loads, else none. A missing
 * library never stops startup: it is logged once with the {@code apt-get install} command and shows in
 * {@link #status()}. Thread-safe.
 */
public final class OfflineSpeech implements AutoCloseable {
    public static final String FLITE = "flite";
    public static final String FREETTS = "freetts";
    public static final String POCKETSPHINX = "pocketsphinx";
    /** Longest text one synthesis call accepts, whichever engine speaks. */
    public static final int MAX_TEXT_LENGTH = SynthesisText.MAX_LENGTH;

    private static final Logger log = LoggerFactory.getLogger(OfflineSpeech.class);

    /**
     * Where the native engines come from.
     *
     * @param fliteLibrary             libflite soname or path
     * @param fliteVoiceLibraryPattern a format string turning a voice name into its library
     * @param recognizer               pocketsphinx libraries, model and pool size
     */
    public record Settings(String fliteLibrary, String fliteVoiceLibraryPattern,
                           PocketsphinxRecognizer.Settings recognizer) {
        public Settings {
            Objects.requireNonNull(fliteLibrary, "fliteLibrary");
            Objects.requireNonNull(fliteVoiceLibraryPattern, "fliteVoiceLibraryPattern");
            Objects.requireNonNull(recognizer, "recognizer");
        }

        /** Debian's libraries and model. */
        public static Settings defaults() {
            return new Settings(FliteSynthesizer.LIBRARY, FliteSynthesizer.VOICE_LIBRARY_PATTERN,
                    PocketsphinxRecognizer.Settings.defaults());
        }

        public Settings withFliteLibrary(String fliteLibrary) {
            return new Settings(fliteLibrary, fliteVoiceLibraryPattern, recognizer);
        }

        public Settings withRecognizer(PocketsphinxRecognizer.Settings recognizer) {
            return new Settings(fliteLibrary, fliteVoiceLibraryPattern, recognizer);
        }
    }

    private final FliteSynthesizer flite;
    private final PocketsphinxRecognizer pocketsphinx;
    private final OfflineSpeechStatus textToSpeech;
    private final OfflineSpeechStatus speechToText;
    private final ReentrantLock freeTtsLock = new ReentrantLock();
    /** Loaded at startup when flite is missing, else on the first request for a FreeTTS voice; guarded by the lock. */
    private FreeTtsSynthesizer freeTts;
    private boolean closed;

    private OfflineSpeech(FliteSynthesizer flite, FreeTtsSynthesizer freeTts, PocketsphinxRecognizer pocketsphinx,
                          OfflineSpeechStatus textToSpeech, OfflineSpeechStatus speechToText) {
        this.flite = flite;
        this.freeTts = freeTts;
        this.pocketsphinx = pocketsphinx;
        this.textToSpeech = textToSpeech;
        this.speechToText = speechToText;
    }

    /** Opens Debian's engines, falling back as described above. */
    public static OfflineSpeech open() {
        return open(Settings.defaults());
    }

    public static OfflineSpeech open(Settings settings) {
        FliteSynthesizer flite = null;
        FreeTtsSynthesizer freeTts = null;
        OfflineSpeechStatus textToSpeech;
        try {
            flite = FliteSynthesizer.load(settings.fliteLibrary(), settings.fliteVoiceLibraryPattern());
            textToSpeech = OfflineSpeechStatus.healthy(Capability.TEXT_TO_SPEECH, FLITE);
        } catch (EngineUnavailableException e) {
            freeTts = FreeTtsSynthesizer.load();
            textToSpeech = OfflineSpeechStatus.degraded(Capability.TEXT_TO_SPEECH, FREETTS, e);
        }
        PocketsphinxRecognizer pocketsphinx = null;
        OfflineSpeechStatus speechToText;
        try {
            pocketsphinx = PocketsphinxRecognizer.load(settings.recognizer());
            speechToText = OfflineSpeechStatus.healthy(Capability.SPEECH_TO_TEXT, POCKETSPHINX);
        } catch (EngineUnavailableException e) {
            speechToText = OfflineSpeechStatus.degraded(Capability.SPEECH_TO_TEXT, OfflineSpeechStatus.NO_ENGINE, e);
        }
        for (OfflineSpeechStatus status : List.of(textToSpeech, speechToText)) {
            if (status.degraded()) {
                log.warn("{}", status.summary());
            } else {
                log.info("{}", status.summary());
            }
        }
        return new OfflineSpeech(flite, freeTts, pocketsphinx, textToSpeech, speechToText);
    }

    public OfflineSpeechStatus textToSpeech() {
        return textToSpeech;
    }

    public OfflineSpeechStatus speechToText() {
        return speechToText;
    }

    /** Both capabilities, speech synthesis first. */
    public List<OfflineSpeechStatus> status() {
        return List.of(textToSpeech, speechToText);
    }

    /** The voice used when none is named: flite's, or FreeTTS's when flite is missing. */
    public String defaultVoice() {
        return flite != null ? FliteSynthesizer.DEFAULT_VOICE : FreeTtsSynthesizer.DEFAULT_VOICE;
    }

    /** Every voice {@link #synthesize(String, String)} accepts. */
    public List<String> voices() {
        List<String> voices = new ArrayList<>(FliteSynthesizer.VOICES);
        voices.addAll(FreeTtsSynthesizer.VOICES);
        return List.copyOf(voices);
    }

    /** Speaks {@code text} with the default voice: PCM16 mono 16 kHz. */
    public short[] synthesize(String text) {
        return synthesize(text, null);
    }

    /**
     * Speaks {@code text} with {@code voice} (null for the default): PCM16 mono 16 kHz. A flite voice asked
     * for while flite is missing is spoken by FreeTTS's default voice, as the whole capability is degraded.
     *
     * @throws IllegalArgumentException for a voice neither engine has
     */
    public short[] synthesize(String text, String voice) {
        String chosen = voice == null ? defaultVoice() : voice;
        if (FreeTtsSynthesizer.VOICES.contains(chosen)) {
            return freeTts().synthesize(text, chosen);
        }
        if (!FliteSynthesizer.VOICES.contains(chosen)) {
            throw new IllegalArgumentException("unknown voice '" + chosen + "'; voices are " + voices());
        }
        return flite != null ? flite.synthesize(text, chosen) : freeTts().synthesize(text);
    }

    /**
     * The transcript of PCM16 mono 16 kHz audio.
     *
     * @throws IllegalStateException when pocketsphinx is not installed (the message says what to install)
     */
    public String recognize(short[] samples) {
        return requireRecognizer().recognize(samples);
    }

    /** The transcript of PCM16 mono audio at {@code sampleRate}, converted to 16 kHz first if needed. */
    public String recognize(short[] samples, int sampleRate) {
        PocketsphinxRecognizer recognizer = requireRecognizer();
        return recognizer.recognize(sampleRate == PocketsphinxRecognizer.SAMPLE_RATE ? samples
                : Resampler.convert(samples, sampleRate, PocketsphinxRecognizer.SAMPLE_RATE));
    }

    /** The recognizer for streaming use, when pocketsphinx is installed. */
    public Optional<PocketsphinxRecognizer> recognizer() {
        return Optional.ofNullable(pocketsphinx);
    }

    @Override
    public void close() {
        if (pocketsphinx != null) {
            pocketsphinx.close();
        }
        freeTtsLock.lock();
        try {
            closed = true;
            if (freeTts != null) {
                freeTts.close();
            }
        } finally {
            freeTtsLock.unlock();
        }
    }

    private PocketsphinxRecognizer requireRecognizer() {
        if (pocketsphinx == null) {
            throw new IllegalStateException(speechToText.summary());
        }
        return pocketsphinx;
    }

    private FreeTtsSynthesizer freeTts() {
        freeTtsLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("offline speech is closed");
            }
            if (freeTts == null) {
                freeTts = FreeTtsSynthesizer.load();
            }
            return freeTts;
        } finally {
            freeTtsLock.unlock();
        }
    }
}
