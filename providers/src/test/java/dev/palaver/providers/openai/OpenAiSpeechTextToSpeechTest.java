package dev.palaver.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palaver.media.tts.TextToSpeech;
import dev.palaver.providers.http.ApiKey;
import dev.palaver.providers.http.HttpTimeouts;
import dev.palaver.providers.speechtest.RecordingSynthesisListener;
import dev.palaver.providers.speechtest.ScriptedHttpServer;
import dev.palaver.providers.speechtest.TextToSpeechFaultContract;
import dev.palaver.providers.speechtest.Tones;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiSpeechTextToSpeechTest extends TextToSpeechFaultContract {

    @Override
    protected TextToSpeech create(URI baseUrl, ApiKey key, HttpTimeouts timeouts, int wireRate) {
        // pcm is always 24 kHz: there is no rate to choose.
        return OpenAiSpeechTextToSpeech.builder(key, scheduler)
                .baseUrl(baseUrl.resolve("/v1"))
                .model("gpt-4o-mini-tts")
                .voice("coral")
                .timeouts(timeouts)
                .build();
    }

    @Override
    protected int defaultWireRate() {
        return 24_000;
    }

    @Override
    protected int maxChars() {
        return OpenAiSpeechTextToSpeech.MAX_INPUT_CHARS;
    }

    @Override
    protected void assertRequest(ScriptedHttpServer.Request request, String text, int wireRate) {
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/v1/audio/speech");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        Map<String, Object> body = jsonObject(request.bodyText());
        assertThat(body).containsEntry("model", "gpt-4o-mini-tts").containsEntry("input", text)
                .containsEntry("voice", "coral").containsEntry("response_format", "pcm");
    }

    @Test
    void serversThatNeedNoKeyGetNoAuthorizationHeader() throws Exception {
        server.script((r, x) -> x.respond(200, Tones.bytes(Tones.sine(300, 24_000, 2400, 0.3)), PCM));
        try (OpenAiSpeechTextToSpeech local = OpenAiSpeechTextToSpeech.builder(ApiKey.none(), scheduler)
                .baseUrl(server.baseUri().resolve("/v1")).model("kokoro").voice("af_sky").timeouts(TIMEOUTS).build()) {
            RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
            local.synthesize("Hi.", listener);
            assertThat(listener.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(listener.events()).last().isEqualTo("done");
            assertThat(server.requests().getFirst().header("Authorization")).isNull();
        }
    }

    @Test
    void optionalSettingsAreSentOnlyWhenSet() throws Exception {
        server.script((r, x) -> x.respond(200, Tones.bytes(Tones.sine(300, 24_000, 2400, 0.3)), PCM));
        try (OpenAiSpeechTextToSpeech tts = OpenAiSpeechTextToSpeech.builder(ApiKey.of(KEY), scheduler)
                .baseUrl(server.baseUri().resolve("/v1")).instructions("Speak warmly.").speed(1.25).timeouts(TIMEOUTS).build()) {
            RecordingSynthesisListener listener = RecordingSynthesisListener.classified();
            tts.synthesize("Hi.", listener);
            assertThat(listener.awaitEnd(Duration.ofSeconds(5))).isTrue();
            Map<String, Object> body = jsonObject(server.requests().getFirst().bodyText());
            assertThat(body).containsEntry("instructions", "Speak warmly.").containsEntry("speed", 1.25);
        }
    }
}
