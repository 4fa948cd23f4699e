package dev.palaver.server.platform;

import java.io.PrintStream;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.palaver.server.identity.FirstOwner;

/**
 * Tells the operator, on standard output and not in the log, where Palaver listens and, on the first
 * start only, how to log in. The generated password is shown here once and never logged.
 */
@Component
final class ReadyAnnouncer {

    private final FirstOwner firstOwner;
    private final Environment env;
    private final PrintStream out = System.out;

    ReadyAnnouncer(FirstOwner firstOwner, Environment env) {
        this.firstOwner = firstOwner;
        this.env = env;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : env.getProperty("server.port", Integer.class, 8080);
        String address = env.getProperty("server.address", "127.0.0.1");
        String host = address.isBlank() || "0.0.0.0".equals(address) || "::".equals(address) ? "localhost" : address;
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        out.println("Palaver is ready at http://" + host + ":" + port);
        firstOwner.createdThisStart().ifPresent(login -> {
            out.println("First login: " + login.email() + " / "
                    + (login.generatedPassword() != null ? login.generatedPassword() : "(the password in PALAVER_ADMIN_PASSWORD)"));
            if (login.generatedPassword() != null) {
                out.println("This password is shown only now; change it after logging in.");
            }
        });
        out.flush();
    }
}
