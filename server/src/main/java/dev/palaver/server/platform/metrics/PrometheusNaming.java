package dev.palaver.server.platform.metrics;

import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps the scrape clean for {@code promtool check metrics}: every meter gets help text, and the few
 * library meters whose names break Prometheus conventions (abbreviated units, a {@code _count} gauge)
 * are renamed or dropped.
 */
@Configuration(proxyBeanMethods = false)
class PrometheusNaming {

    private static final Map<String, String> RENAMES = Map.of("system.cpu.count", "system.cpu.cores");
    /** Counters in ms and ns that cannot be relabelled as seconds; process_cpu_usage covers CPU. */
    private static final Set<String> DROPPED = Set.of("jvm.compilation.time", "process.cpu.time");

    @Bean
    MeterFilter prometheusConventions() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return DROPPED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                String name = RENAMES.getOrDefault(id.getName(), snakeCase(id.getName()));
                String unit = RENAMES.containsKey(id.getName()) ? null : id.getBaseUnit();
                String description = id.getDescription() != null && !id.getDescription().isBlank()
                        ? id.getDescription() : describe(id.getName());
                if (name.equals(id.getName()) && description.equals(id.getDescription())) {
                    return id;
                }
                return new Meter.Id(name, io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()), unit,
                        description, id.getType());
            }
        };
    }

    /** Library meters sometimes embed class names ({@code ...filterchains.BearerAuthenticationFilter.before}). */
    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** A readable description from a dotted name, for meters their library left undescribed. */
    static String describe(String name) {
        return name.replace('.', ' ').replace('_', ' ');
    }
}
