package dev.palaver.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.palaver.server.cli.PalaverCli;
import dev.palaver.server.platform.config.ProductionReadinessGuard;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PalaverApplication {

    /** With a CLI command as first argument runs that command; otherwise starts the server. */
    public static void main(String[] args) {
        if (args.length > 0 && PalaverCli.handles(args[0])) {
            System.exit(new PalaverCli(System.out, System.err).run(args));
        }
        String[] serverArgs = args.length > 0 && "serve".equals(args[0])
                ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        application().run(serverArgs);
    }

    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(PalaverApplication.class);
        app.addListeners(new ProductionReadinessGuard());
        return app;
    }
}
