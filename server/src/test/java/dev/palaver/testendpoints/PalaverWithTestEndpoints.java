package dev.palaver.testendpoints;

import java.util.List;

import org.springframework.boot.SpringApplication;

import dev.palaver.server.PalaverApplication;

/** Palaver exactly as {@code main} starts it, plus the test endpoints: for tests that run it as a process. */
public final class PalaverWithTestEndpoints {

    private PalaverWithTestEndpoints() {
    }

    public static void main(String[] args) {
        SpringApplication app = PalaverApplication.application();
        app.addPrimarySources(List.of(TestEndpoints.class));
        app.run(args);
    }
}
