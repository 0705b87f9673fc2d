package dev.ragline.worker.consumer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Times units of worker work as {@code ragline_worker_task_duration_seconds{task=...}}. */
@ApplicationScoped
public class TaskTimer {

    private final MeterRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    TaskTimer(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public <T> T time(String task, Supplier<T> work) {
        return timers.computeIfAbsent(task, name -> Timer.builder("ragline.worker.task.duration").tag("task", name)
                .description("Duration of one unit of worker work").publishPercentileHistogram().register(metrics))
                .record(work);
    }
}
