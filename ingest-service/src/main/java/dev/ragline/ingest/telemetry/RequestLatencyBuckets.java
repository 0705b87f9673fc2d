package dev.ragline.ingest.telemetry;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Gives {@code http_server_requests_seconds} (the seed's {@code ragline_api_request_duration_seconds})
 * fixed histogram buckets at the SLO thresholds (docs/SLOs.md), so Prometheus can compute latency SLIs
 * and burn rates over any window and across replicas; a fixed handful of buckets keeps series bounded.
 */
@Singleton
public class RequestLatencyBuckets {

    static final Duration[] BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(40),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(120), Duration.ofMillis(250),
            Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10) };

    @Produces
    @Singleton
    MeterFilter requestLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(java.util.Arrays.stream(BUCKETS).mapToDouble(Duration::toNanos).toArray())
                        .build().merge(config);
            }
        };
    }
}
