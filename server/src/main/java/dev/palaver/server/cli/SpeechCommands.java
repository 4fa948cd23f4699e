package dev.palaver.server.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;
import dev.palaver.media.audio.WavWriter;
import dev.palaver.providers.offline.OfflineSpeech;
import dev.palaver.providers.offline.OfflineSpeechStatus;

/**
 * {@code palaver tts} and {@code palaver stt}: the offline voice from the command line, no server and no
 * network, to check an installation or make test audio.
 */
final class SpeechCommands {

    private final PrintStream out;
    private final PrintStream err;

    SpeechCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int tts(String... args) {
        Map<String, String> options = options(args);
        String text = options.get("--text");
        String target = options.get("--out");
        if (text == null || text.isBlank() || target == null || options.containsKey("")) {
            err.println("usage: palaver tts --text \"words to say\" --out reply.wav [--voice NAME]");
            return 2;
        }
        if (text.length() > OfflineSpeech.MAX_TEXT_LENGTH) {
            err.println("palaver: --text is longer than " + OfflineSpeech.MAX_TEXT_LENGTH + " characters");
            return 2;
        }
        try (OfflineSpeech speech = OfflineSpeech.open()) {
            warnIfDegraded(speech.textToSpeech());
            String voice = options.get("--voice");
            if (voice != null && !speech.voices().contains(voice)) {
                err.println("palaver: unknown voice '" + voice + "'; voices: " + String.join(", ", speech.voices()));
                return 2;
            }
            short[] samples = speech.synthesize(text, voice);
            WavWriter.write(Path.of(target), WavAudio.pcm16(AudioFormat.SAMPLE_RATE, 1, samples));
            out.printf("wrote %s (%.2f s, %s)%n", target, samples.length / (double) AudioFormat.SAMPLE_RATE,
                    speech.textToSpeech().engine());
            return 0;
        } catch (IOException e) {
            err.println("palaver: could not write " + target + ": " + e.getMessage());
            return 1;
        }
    }

    int stt(String... args) {
        if (args.length != 1 || args[0].startsWith("--")) {
            err.println("usage: palaver stt question.wav");
            return 2;
        }
        Path file = Path.of(args[0]);
        if (!Files.isReadable(file)) {
            err.println("palaver: cannot read " + file);
            return 1;
        }
        WavAudio audio;
        try {
            audio = WavReader.read(file);
        } catch (IOException | IllegalArgumentException e) {
            err.println("palaver: " + file + " is not a WAV file Palaver can read (" + e.getMessage() + ")");
            return 1;
        }
        try (OfflineSpeech speech = OfflineSpeech.open()) {
            if (speech.speechToText().degraded()) {
                err.println("palaver: no offline recognizer: " + speech.speechToText().problem()
                        + "; install it with: " + speech.speechToText().installCommand());
                return 1;
            }
            out.println(speech.recognize(audio.channel(0), audio.sampleRate()));
            return 0;
        }
    }

    private void warnIfDegraded(OfflineSpeechStatus status) {
        if (status.degraded()) {
            err.println("palaver: " + status.summary());
        }
    }

    /** {@code --name value} pairs; a stray word is kept under "" so the caller can refuse it. */
    private static Map<String, String> options(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                options.put("", args[i]);
            }
        }
        return options;
    }
}
