package dev.palaver.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.palaver.server.cli.PalaverCli;
import dev.palaver.server.platform.config.ProductionReadinessGuard;
import dev.palaver.server.platform.threads.CarrierThreads;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PalaverApplication {

    /**
     * {@code serve} (or no command, or only {@code --option}s) starts the server; any other first
     * argument is a CLI command.
     */
    public static void main(String[] args) {
        CarrierThreads.configure();
        if (args.length > 0 && !"serve".equals(args[0]) && (PalaverCli.handles(args[0]) || !args[0].startsWith("--"))) {
            PalaverCli.quietLogging();
            System.exit(new PalaverCli(System.out, System.err, settings -> application().run(settings)).run(args));
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
