package dev.palaver.bench.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.security.RequestValidator;
import dev.palaver.bench.calls.CallerSpeech.Utterance;
import dev.palaver.bench.engine.CallerAudio;
import dev.palaver.bench.fakes.FakeDelays;
import dev.palaver.bench.fakes.FakeProviders;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One short simulated phone call end to end: the fake providers in their servers, a real call engine behind
 * a Twilio-style edge, and the simulator dialing it. It checks that the simulator measures what it claims
 * (turns, pacing, an interruption and its clear, marks echoed) — not how fast anything is.
 */
class SimulatedCallerTest {

    static final FakeDelays DELAYS = new FakeDelays(Duration.ofMillis(150), Duration.ofMillis(500),
            Duration.ofMillis(200), Duration.ofMillis(5), Duration.ofMillis(100), 20, 0);

    @Test
    void oneCallTakesTurnsInterruptsTheAgentAndEchoesMarks() throws Exception {
        CallerSpeech speech = new CallerSpeech(List.of(synthetic("turn-a", 60, 1), synthetic("turn-b", 70, 2)),
                synthetic("barge-in", 50, 3));
        TurnPlan plan = TurnPlan.standard(500, DELAYS);
        CallerMeasures measures = new CallerMeasures();
        try (FakeProviders fakes = new FakeProviders(0, 0, DELAYS);
             EngineTwilioEdge edge = new EngineTwilioEdge(fakes);
             Ticker ticker = new Ticker(measures)) {
            TwilioLine line = new TwilioLine(edge.publicUrl(), "AC" + "0".repeat(32), edge.authToken, "+15550100200");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // Index 2: the caller's first turn is its third, so it interrupts the first answer.
            SimulatedCaller caller = SimulatedCaller.dial(http, line, 2, speech, plan, measures);
            ticker.add(caller);
            Thread.sleep(13_000);
            CallerMeasures.Window w = measures.take();
            caller.hangUp();

            assertThat(edge.refused).isEmpty();
            assertThat(w.errors()).isZero();
            assertThat(w.noAnswer()).isZero();
            assertThat(w.bargeInsMissed()).isZero();
            // Every third turn interrupts, and each interruption is timed by the clear it brought.
            assertThat(w.bargeInMs()).isNotEmpty().hasSize(edge.clears.get());
            assertThat(w.turns()).isGreaterThanOrEqualTo(2L * w.bargeInMs().length);
            assertThat(w.framesAfterClear()).isZero();
            assertThat(java.util.Arrays.stream(w.overheadMs()).allMatch(Double::isFinite)).isTrue();
            assertThat(w.pacingErrorMs()).isNotEmpty();
            assertThat(w.framesPlayed()).isGreaterThan(100);
            assertThat(edge.marksPlayed.get()).isPositive();
        }
    }

    @Test
    void aWrongAuthTokenIsRefusedByTheWebhook() throws Exception {
        try (FakeProviders fakes = new FakeProviders(0, 0, DELAYS);
             EngineTwilioEdge edge = new EngineTwilioEdge(fakes)) {
            TwilioLine line = new TwilioLine(edge.publicUrl(), "AC" + "0".repeat(32), "not-the-token", "+15550100200");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            assertThatThrownBy(() -> line.ring(http, "CA" + "1".repeat(32), "+15550000001"))
                    .isInstanceOf(IOException.class).hasMessageContaining("403");
            assertThat(edge.refused).containsExactly("bad signature");
        }
    }

    @Test
    void signaturesAreTheOnesTheTwilioSdkValidates() {
        Map<String, String> form = Map.of("CallSid", "CA123", "From", "+15550000001", "To", "+15550100200",
                "AccountSid", "AC456", "Caller", "a b&c=d");
        String url = "https://example.com/telephony/twilio/voice?x=1";
        String signature = TwilioSignature.sign("secret-token", url, form);

        assertThat(new RequestValidator("secret-token").validate(url, form, signature)).isTrue();
        assertThat(new RequestValidator("other-token").validate(url, form, signature)).isFalse();
    }

    @Test
    void twimlGivesTheStreamUrlAndItsParameters() {
        TwimlStream s = TwimlStream.parse("<?xml version=\"1.0\"?><Response><Connect><Stream url=\"wss://h/media\">"
                + "<Parameter name=\"token\" value=\"t1\"/></Stream></Connect></Response>");

        assertThat(s.url()).isEqualTo("wss://h/media");
        assertThat(s.parameters()).containsExactly(Map.entry("token", "t1"));
        assertThatThrownBy(() -> TwimlStream.parse("<Response><Say>Sorry</Say><Hangup/></Response>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no <Connect><Stream>");
    }

    private static Utterance synthetic(String name, int frames, long seed) {
        List<String> payloads = new ArrayList<>();
        for (byte[] frame : CallerAudio.speechFrames(frames, seed)) {
            payloads.add(Base64.getEncoder().encodeToString(frame));
        }
        return new Utterance(name, payloads);
    }
}
