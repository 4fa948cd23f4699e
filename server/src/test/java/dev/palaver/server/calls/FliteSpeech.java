package dev.palaver.server.calls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.palaver.media.audio.AudioFormat;
import dev.palaver.media.audio.Resampler;
import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavReader;

/** Caller speech for tests, spoken by Debian's flite (which pocketsphinx recognizes well), at 16 kHz. */
public final class FliteSpeech {

    private FliteSpeech() {
    }

    public static short[] say(String text) throws IOException, InterruptedException {
        Path wav = Files.createTempFile("calls-flite-", ".wav");
        try {
            Process p = new ProcessBuilder("flite", "-t", text, "-o", wav.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException("flite failed for: " + text);
            }
            WavAudio audio = WavReader.read(wav);
            return Resampler.convert(audio.samples(), audio.sampleRate(), AudioFormat.SAMPLE_RATE);
        } finally {
            Files.deleteIfExists(wav);
        }
    }
}
