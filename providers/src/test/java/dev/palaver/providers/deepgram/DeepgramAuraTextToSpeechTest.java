package dev.palaver.providers.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.audio.WavAudio;
import dev.palaver.media.audio.WavWriter;
import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.speechtest.RecordingSynthesisListener;
import dev.palaver.providers.speechtest.ScriptedHttpServer;
import dev.palaver.providers.speechtest.TextToSpeechFaultContract;
import dev.palaver.providers.speechtest.Tones;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeepgramAuraTextToSpeechTest extends TextToSpeechFaultContract {

    @Override
    protected TextToSpeech create(URI baseUrl, ApiKey key, HttpTimeouts timeouts, int wireRate) {
        return DeepgramAuraTextToSpeech.builder(key, scheduler)
                .baseUrl(baseUrl)
                .model("aura-2-thalia-en")
                .sampleRate(wireRate)
                .timeouts(timeouts)
                .build();
    }

    @Override
    protected int defaultWireRate() {
        return 16_000;
    }

    @Override
    protected int maxChars() {
        return DeepgramAuraTextToSpeech.MAX_TEXT_CHARS;
    }

    @Override
    protected void assertRequest(ScriptedHttpServer.Request request, String text, int wireRate) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/speak");
        assertThat(request.query()).isEqualTo(
                "model=aura-2-thalia-en&encoding=linear16&sample_rate=" + wireRate + "&container=none");
        assertThat(request.header("Authorization")).isEqualTo("Token " + KEY);
        assertThat(jsonObject(request.bodyText())).isEqualTo(Map.of("text", text));
    }

    @Test
    void aWavHeaderSentAnywayIsStrippedNotPlayed(@TempDir Path dir) throws Exception {
        short[] tone = Tones.sine(500, 24_000, 4800, 0.4);
        Path wav = dir.resolve("a.wav");
        WavWriter.write(wav, WavAudio.pcm16(24_000, 1, tone));
        byte[] file = Files.readAllBytes(wav);
        server.script((r, x) -> {
            x.startChunked(200, "Content-Type: audio/wav");
            // The header itself arrives split.
            x.chunk(Arrays.copyOfRange(file, 0, 7));
            x.chunk(Arrays.copyOfRange(file, 7, 45));
            x.chunk(Arrays.copyOfRange(file, 45, file.length));
            x.endChunks();
        });
        RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
        // Asked for 16 kHz, sent a 24 kHz WAV: the header's rate wins.
        provider().synthesize("Hi.", listener);

        assertThat(listener.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(listener.events()).last().isEqualTo("done");
        short[] out = listener.audio();
        assertThat(out.length).isBetween(3200, 3200 + 200);
        assertThat(Tones.frequency(out, 16_000, 200, 3000)).isCloseTo(500, org.assertj.core.data.Offset.offset(0.5));
    }
}
