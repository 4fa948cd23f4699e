package dev.palaver.providers.offline;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Resampler;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text to PCM16 mono 16 kHz with flite 2.2 (Debian {@code libflite1}), called in-process through the FFM API.
 *
 * <p>Thread-safe by serialization: flite keeps process-wide state (voice list, lexicons, the voices' feature
 * tables) that synthesis mutates, so every native call in the process takes one lock. A sentence takes tens
 * of milliseconds; callers needing parallel synthesis use several processes or a cloud voice.
 *
 * <p>Repeatable: the same text and voice always give the same samples. The clustergen voices (slt, rms, awb)
 * excite unvoiced sounds with noise from libc's {@code rand()}, so each synthesis first seeds it.
 */
// Calling C is what this class is for; the JVM runs with --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
public final class FliteSynthesizer {
    public static final String LIBRARY = "libflite.so.1";
    /** Where voice {@code v} lives: {@code String.formatted(v)} gives its library. */
    public static final String VOICE_LIBRARY_PATTERN = "libflite_cmu_us_%s.so.1";
    public static final String INSTALL_COMMAND = "apt-get install -y libflite1";
    public static final String DEFAULT_VOICE = "slt";
    /** The English voices Debian's libflite1 ships: slt, rms and awb are 16 kHz, kal16 16 kHz, kal 8 kHz. */
    public static final List<String> VOICES = List.of("slt", "kal16", "kal", "rms", "awb");

    private static final Logger log = LoggerFactory.getLogger(FliteSynthesizer.class);
    /** flite's C state is per process, not per instance, so the lock is too. */
    private static final ReentrantLock NATIVE = new ReentrantLock();
    private static final int NOISE_SEED = 1;

    private static final AddressLayout POINTER = ValueLayout.ADDRESS;
    /** {@code cst_wave} from flite/cst_wave.h. */
    private static final StructLayout WAVE = MemoryLayout.structLayout(
            POINTER.withName("type"),
            ValueLayout.JAVA_INT.withName("sample_rate"),
            ValueLayout.JAVA_INT.withName("num_samples"),
            ValueLayout.JAVA_INT.withName("num_channels"),
            MemoryLayout.paddingLayout(4),
            POINTER.withName("samples"));
    private static final long SAMPLE_RATE = WAVE.byteOffset(groupElement("sample_rate"));
    private static final long NUM_SAMPLES = WAVE.byteOffset(groupElement("num_samples"));
    private static final long NUM_CHANNELS = WAVE.byteOffset(groupElement("num_channels"));
    private static final long SAMPLES = WAVE.byteOffset(groupElement("samples"));

    private final String voiceLibraryPattern;
    private final MethodHandle seedNoise;
    private final MethodHandle textToWave;
    private final MethodHandle deleteWave;
    /** Voice name to its {@code cst_voice*}; guarded by {@link #NATIVE}. */
    private final Map<String, MemorySegment> voices = new HashMap<>();

    private FliteSynthesizer(String voiceLibraryPattern, MethodHandle seedNoise, MethodHandle textToWave,
                             MethodHandle deleteWave) {
        this.voiceLibraryPattern = voiceLibraryPattern;
        this.seedNoise = seedNoise;
        this.textToWave = textToWave;
        this.deleteWave = deleteWave;
    }

    /** Loads Debian's libflite1 and its default voice. */
    public static FliteSynthesizer load() throws EngineUnavailableException {
        return load(LIBRARY, VOICE_LIBRARY_PATTERN);
    }

    /**
     * Loads flite from {@code library} and voices from {@code voiceLibraryPattern} (a format string taking the
     * voice name), and registers the default voice, so a missing voice library fails here and not mid-call.
     */
    public static FliteSynthesizer load(String library, String voiceLibraryPattern) throws EngineUnavailableException {
        NativeLibrary flite = NativeLibrary.open(library, INSTALL_COMMAND);
        MethodHandle init = flite.function("flite_init", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        MemorySegment srand = Linker.nativeLinker().defaultLookup().find("srand")
                .orElseThrow(() -> new IllegalStateException("the C library has no srand"));
        FliteSynthesizer synthesizer = new FliteSynthesizer(voiceLibraryPattern,
                Linker.nativeLinker().downcallHandle(srand, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)),
                flite.function("flite_text_to_wave", FunctionDescriptor.of(POINTER, POINTER, POINTER)),
                flite.function("delete_wave", FunctionDescriptor.ofVoid(POINTER)));
        NATIVE.lock();
        try {
            // Only sets up flite's regular expressions; repeating it is harmless.
            int status = (int) init.invokeExact();
            if (status != 0) {
                throw new EngineUnavailableException("flite_init returned " + status, INSTALL_COMMAND);
            }
            synthesizer.voice(DEFAULT_VOICE);
        } catch (EngineUnavailableException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("flite initialisation failed", e);
        } finally {
            NATIVE.unlock();
        }
        log.info("flite loaded from {} with voice {}", flite.name(), DEFAULT_VOICE);
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
     * {@link #VOICES}. Returns PCM16 mono at 16 kHz; 8 kHz voices are resampled. Blank text gives no samples.
     */
    public short[] synthesize(String text, String voice) {
        String ascii = SynthesisText.toAscii(SynthesisText.require(text));
        if (!VOICES.contains(voice)) {
            throw new IllegalArgumentException("unknown flite voice '" + voice + "'; flite has " + VOICES);
        }
        if (ascii.isBlank()) {
            return new short[0];
        }
        int rate;
        short[] samples;
        NATIVE.lock();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment registered = voice(voice);
            seedNoise.invokeExact(NOISE_SEED);
            MemorySegment wave = (MemorySegment) textToWave.invokeExact(arena.allocateFrom(ascii), registered);
            if (wave.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("flite produced no wave for voice " + voice);
            }
            try {
                MemorySegment header = wave.reinterpret(WAVE.byteSize());
                rate = header.get(ValueLayout.JAVA_INT, SAMPLE_RATE);
                int count = header.get(ValueLayout.JAVA_INT, NUM_SAMPLES);
                int channels = header.get(ValueLayout.JAVA_INT, NUM_CHANNELS);
                if (channels != 1 || rate <= 0 || count < 0) {
                    throw new IllegalStateException("flite returned an unexpected wave: " + channels + " channels, "
                            + rate + " Hz, " + count + " samples");
                }
                MemorySegment data = header.get(POINTER, SAMPLES);
                samples = count == 0 ? new short[0]
                        : data.reinterpret((long) count * Short.BYTES).toArray(ValueLayout.JAVA_SHORT);
            } finally {
                deleteWave.invokeExact(wave);
            }
        } catch (EngineUnavailableException e) {
            throw new IllegalStateException("flite voice " + voice + " is unavailable: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("flite synthesis failed", e);
        } finally {
            NATIVE.unlock();
        }
        return rate == AudioFormat.SAMPLE_RATE ? samples : Resampler.convert(samples, rate, AudioFormat.SAMPLE_RATE);
    }

    /** The registered {@code cst_voice*} for {@code name}; its library is opened on first use. Holds {@link #NATIVE}. */
    private MemorySegment voice(String name) throws EngineUnavailableException {
        MemorySegment voice = voices.get(name);
        if (voice != null) {
            return voice;
        }
        String function = "register_cmu_us_" + name;
        MethodHandle register = NativeLibrary.open(voiceLibraryPattern.formatted(name), INSTALL_COMMAND)
                .function(function, FunctionDescriptor.of(POINTER, POINTER));
        try {
            // The argument is a directory for voices with external data; the Debian voices are compiled in.
            voice = (MemorySegment) register.invokeExact(MemorySegment.NULL);
        } catch (Throwable e) {
            throw new IllegalStateException(function + " failed", e);
        }
        if (voice.equals(MemorySegment.NULL)) {
            throw new EngineUnavailableException(function + " returned no voice", INSTALL_COMMAND);
        }
        voices.put(name, voice);
        return voice;
    }
}
