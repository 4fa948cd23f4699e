package dev.palaver.providers.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.speechtest.ScriptedHttpServer;
import dev.palaver.providers.speechtest.TextToSpeechFaultContract;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElevenLabsTextToSpeechTest extends TextToSpeechFaultContract {

    private static final String VOICE = "JBFqnCBsd6RMkjVDRZzb";

    @Override
    protected TextToSpeech create(URI baseUrl, ApiKey key, HttpTimeouts timeouts, int wireRate) {
        return ElevenLabsTextToSpeech.builder(key, VOICE, scheduler)
                .baseUrl(baseUrl)
                .modelId("eleven_flash_v2_5")
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
        return ElevenLabsTextToSpeech.MAX_TEXT_CHARS;
    }

    @Override
    protected void assertRequest(ScriptedHttpServer.Request request, String text, int wireRate) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/text-to-speech/" + VOICE + "/stream");
        assertThat(request.query()).isEqualTo("output_format=pcm_" + wireRate);
        assertThat(request.header("xi-api-key")).isEqualTo(KEY);
        assertThat(request.header("Authorization")).isNull();
        Map<String, Object> body = jsonObject(request.bodyText());
        assertThat(body).containsEntry("text", text).containsEntry("model_id", "eleven_flash_v2_5");
    }

    @Test
    void voiceIdsThatWouldEscapeTheirPathSegmentAreRefused() {
        assertThatThrownBy(() -> ElevenLabsTextToSpeech.builder(ApiKey.of(KEY), "../../v1/user", scheduler))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ElevenLabsTextToSpeech.builder(ApiKey.of(KEY), VOICE, scheduler).sampleRate(8000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
