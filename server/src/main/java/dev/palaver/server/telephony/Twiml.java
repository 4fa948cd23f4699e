package dev.palaver.server.telephony;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import com.twilio.twiml.voice.Stream;

/** The TwiML Palaver answers with, built with the Twilio SDK. */
final class Twiml {

    static final String TOKEN_PARAMETER = "token";

    private Twiml() {
    }

    /** Connects the call's audio to our media socket, carrying the stream token. */
    static String connect(String mediaUrl, String token) {
        Stream stream = new Stream.Builder().url(mediaUrl)
                .parameter(new Parameter.Builder().name(TOKEN_PARAMETER).value(token).build())
                .build();
        return new VoiceResponse.Builder().connect(new Connect.Builder().stream(stream).build()).build().toXml();
    }

    /** A polite refusal: say why, then hang up. */
    static String refuse(String message) {
        return new VoiceResponse.Builder().say(new Say.Builder(message).build()).hangup(new Hangup.Builder().build())
                .build().toXml();
    }

    /** Hands the caller over to a number or SIP address. */
    static String dial(String destination) {
        Dial.Builder dial = new Dial.Builder();
        if (destination.startsWith("sip:")) {
            dial.sip(new Sip.Builder(destination).build());
        } else {
            dial.number(new Number.Builder(destination).build());
        }
        return new VoiceResponse.Builder().dial(dial.build()).build().toXml();
    }
}
