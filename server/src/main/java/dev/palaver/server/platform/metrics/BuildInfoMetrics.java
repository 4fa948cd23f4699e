package dev.palaver.server.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/** {@code palaver_build_info{version, java} 1}: which build is running, for dashboards and alerts. */
@Component
final class BuildInfoMetrics implements MeterBinder {

    private final String version;

    BuildInfoMetrics(ObjectProvider<BuildProperties> build) {
        BuildProperties props = build.getIfAvailable();
        this.version = props != null && props.getVersion() != null ? props.getVersion() : "unknown";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("palaver.build.info", () -> 1)
                .description("Palaver build information; the value is always 1")
                .tag("version", version)
                .tag("java", Runtime.version().toString())
                .strongReference(true)
                .register(registry);
    }
}
