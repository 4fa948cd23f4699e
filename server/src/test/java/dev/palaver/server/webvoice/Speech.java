package dev.palaver.server.webvoice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavWriter;
import dev.palaver.providers.offline.OfflineSpeech;

/** Caller speech for tests: flite's voice (pocketsphinx hears it well), as samples, WAV files or re-encoded. */
final class Speech {

    private Speech() {
    }

    static short[] say(OfflineSpeech speech, String text) {
        return speech.synthesize(text);
    }

    static short[] silence(double seconds) {
        return new short[(int) (seconds * AudioFormat.SAMPLE_RATE)];
    }

    static short[] concat(short[]... parts) {
        int length = 0;
        for (short[] p : parts) {
            length += p.length;
        }
        short[] out = new short[length];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] wavBytes(short[] samples) {
        return Turns.wav(samples);
    }

    static Path wavFile(Path dir, String name, short[] samples) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            WavWriter.write(file, WavAudio.pcm16(AudioFormat.SAMPLE_RATE, 1, samples));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code wav} re-encoded by ffmpeg with {@code codec} into {@code extension} (webm, ogg). */
    static byte[] encode(Path wav, String extension, String codec) {
        Path out = wav.resolveSibling(wav.getFileName() + "." + extension);
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i",
                wav.toString(), "-c:a", codec, out.toString()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + log);
            }
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
