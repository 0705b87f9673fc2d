package dev.ragline.worker.consumer;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Times units of worker work as {@code ragline_worker_task_duration_seconds{task=...}}. */
@ApplicationScoped
public class TaskTimer {

    private final MeterRegistry metrics;

    TaskTimer(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public <T> T time(String task, Supplier<T> work) {
        return Timer.builder("ragline.worker.task.duration").tag("task", task)
                .description("Duration of one unit of worker work").publishPercentileHistogram()
                .register(metrics).record(work);
    }
}
