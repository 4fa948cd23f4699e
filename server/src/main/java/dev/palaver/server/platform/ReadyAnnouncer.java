package dev.palaver.server.platform;

import java.io.PrintStream;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.palaver.server.identity.FirstOwner;

/**
 * Tells the operator, on standard output and not in the log, where Palaver listens and, on the first
 * start only, how to log in. The generated password is shown here once and never logged. With structured
 * (JSON) console logging, as in prod, every console line must be a JSON object, so the lines without a
 * secret go through the log instead (prod never generates a password).
 */
@Component
final class ReadyAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(ReadyAnnouncer.class);

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
        boolean structured = !env.getProperty("logging.structured.format.console", "").isBlank();
        Consumer<String> say = structured ? log::info : out::println;
        say.accept("Palaver is ready at http://" + host + ":" + port);
        firstOwner.createdThisStart().ifPresent(login -> {
            if (login.generatedPassword() == null) {
                say.accept("First login: " + login.email() + " / (the password in PALAVER_ADMIN_PASSWORD)");
            } else {
                out.println("First login: " + login.email() + " / " + login.generatedPassword());
                out.println("This password is shown only now; change it after logging in.");
            }
        });
        out.flush();
    }
}
