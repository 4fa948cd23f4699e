package dev.palaver.server.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.palaver.server.calls.CallTesting;

/** Transfer over Twilio's REST API (to the fake on loopback), and DTMF tones as audio. */
class TwilioCallControlTest {

    @Test
    void aTransferDialsTheDestinationAndEndsTheAgentsPart() throws Exception {
        try (FakeTwilioRest twilio = new FakeTwilioRest(TwilioFixtures.ACCOUNT_SID, TwilioFixtures.AUTH_TOKEN)) {
            TwilioAccounts.Account account = new TwilioAccounts.Account(java.util.UUID.randomUUID(),
                    TwilioFixtures.ACCOUNT_SID, TwilioFixtures.AUTH_TOKEN, URI.create(twilio.baseUrl()));
            String callSid = TwilioFixtures.callSid();
            List<String> ended = new ArrayList<>();
            TwilioCallControl control = new TwilioCallControl(new TwilioRest(), account, callSid, null, () -> {
                synchronized (ended) {
                    ended.add("transferred");
                }
            });
            control.transfer("+14155550999");
            CallTesting.await(() -> {
                synchronized (ended) {
                    return !ended.isEmpty();
                }
            }, Duration.ofSeconds(10));
            assertThat(ended).containsExactly("transferred");
            assertThat(twilio.updates()).hasSize(1);
            assertThat(twilio.updates().getFirst().path()).endsWith("/Calls/" + callSid + ".json");
            assertThat(twilio.updates().getFirst().form().get("Twiml")).contains("<Dial><Number>+14155550999</Number></Dial>");

            // end_call leaves the hang-up to the engine, after the goodbye: nothing ends here.
            control.endCall();
            Thread.sleep(200);
            assertThat(ended).containsExactly("transferred");
            assertThat(twilio.updates()).hasSize(1);
        }
    }

    @Test
    void dtmfTonesCarryTheTwoFrequenciesOfEachKey() {
        short[] five = DtmfTones.pcm("5", 8_000);
        assertThat(five).hasSize(8_000 * (DtmfTones.TONE_MILLIS + DtmfTones.GAP_MILLIS) / 1000);
        double at770 = goertzel(five, 800, 770);
        double at1336 = goertzel(five, 800, 1336);
        double at697 = goertzel(five, 800, 697);
        double at1209 = goertzel(five, 800, 1209);
        assertThat(at770).isGreaterThan(50 * at697);
        assertThat(at1336).isGreaterThan(50 * at1209);
        assertThat(DtmfTones.pcm("x", 8_000)).isEmpty();
        assertThat(DtmfTones.mulaw("12#", 8_000)).hasSize(3 * five.length);
    }

    private static double goertzel(short[] samples, int length, double frequency) {
        double k = 2 * Math.cos(2 * Math.PI * frequency / 8_000);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < length; i++) {
            double s = samples[i] + k * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return s1 * s1 + s2 * s2 - k * s1 * s2;
    }
}
