package dev.palaver.server.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

class TwilioRequestsTest {

    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);

    /** A database that refuses connections: nothing listens on port 1. */
    private final TwilioRequests requests = new TwilioRequests(
            new TwilioAccounts(JdbcClient.create(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none")),
                    null, null),
            JsonMapper.builder().build(), "https://palaver.example.com");

    @Test
    void aDatabaseFailureIsOursNotABadSignature() {
        MockHttpServletRequest request = signed("application/x-www-form-urlencoded");
        byte[] body = ("AccountSid=" + ACCOUNT_SID + "&CallSid=CA1").getBytes(StandardCharsets.UTF_8);

        // Not an empty answer (a 403, which Twilio never retries) but a failure the server answers with 5xx.
        assertThatThrownBy(() -> requests.verify(request, body)).isInstanceOf(DataAccessException.class);
    }

    @Test
    void aBodyThatDoesNotParseIsRefused() {
        assertThat(requests.verify(signed("application/json"), "{not json".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(requests.verify(signed("application/x-www-form-urlencoded"),
                "AccountSid=%zz".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    private static MockHttpServletRequest signed(String contentType) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/telephony/twilio/voice");
        request.setContentType(contentType);
        request.addHeader("X-Twilio-Signature", "c2lnbmF0dXJl");
        return request;
    }
}
