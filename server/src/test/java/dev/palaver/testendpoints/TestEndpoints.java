package dev.palaver.testendpoints;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only JSON endpoints under {@code /test} (outside {@code /api}, which needs authentication).
 * Deliberately outside the {@code dev.palaver.server} package, so that component scanning never picks
 * it up: only contexts that name it get it.
 */
@RestController
@RequestMapping("/test")
public class TestEndpoints {

    private static final Logger log = LoggerFactory.getLogger(TestEndpoints.class);

    private final JdbcClient jdbc;
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowReleased = new CountDownLatch(1);

    public TestEndpoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Greeting(@NotBlank @Size(max = 40) String name, @Email String email) {
    }

    @dev.palaver.server.identity.PublicEndpoint("a test-only endpoint")
    @PostMapping(path = "/echo", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> echo(@Valid @RequestBody Greeting greeting) {
        return Map.of("name", greeting.name());
    }

    @dev.palaver.server.identity.PublicEndpoint("a test-only endpoint")
    @GetMapping("/log")
    Map<String, String> log(@RequestParam String marker) {
        log.info("test endpoint says {}", marker);
        return Map.of("logged", marker);
    }

    /** Fails inside the database driver: the exception carries SQL and class names. */
    @dev.palaver.server.identity.PublicEndpoint("a test-only endpoint")
    @GetMapping("/sql-failure")
    Object sqlFailure() {
        return jdbc.sql("select no_such_column from organizations").query().listOfRows();
    }

    /** Any method: an unexpected exception in a handler. */
    @dev.palaver.server.identity.PublicEndpoint("a test-only endpoint")
    @RequestMapping("/boom")
    Object boom() {
        throw new IllegalStateException("simulated failure in TestEndpoints.boom");
    }

    /** Blocks until the test releases it (or 60 s pass), then answers 200 "finished". */
    @dev.palaver.server.identity.PublicEndpoint("a test-only endpoint")
    @GetMapping("/slow")
    String slow() throws InterruptedException {
        slowEntered.countDown();
        if (!slowReleased.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released the slow request");
        }
        return "finished";
    }

    public boolean awaitSlowRequestEntered(long seconds) throws InterruptedException {
        return slowEntered.await(seconds, TimeUnit.SECONDS);
    }

    public void releaseSlowRequest() {
        slowReleased.countDown();
    }
}
