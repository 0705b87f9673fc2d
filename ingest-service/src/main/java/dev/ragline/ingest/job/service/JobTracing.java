package dev.ragline.ingest.job.service;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import dev.ragline.ingest.job.Job;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The spans of a job run: one {@code rake job} span, a child of the rake.jobs message's publisher (so of the
 * POST that submitted the job), and one {@code rake stage <name>} span per stage under it, from the stage's
 * first document to its last (stages overlap, so do their spans). Attributes name the tenant and the job,
 * never a parameter or a document.
 */
@ApplicationScoped
public class JobTracing {

    private static final TextMapGetter<Headers> KAFKA_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            java.util.List<String> keys = new java.util.ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;

    JobTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The trace context a rake.jobs record carries in its {@code traceparent} header, or none. */
    static Context parentOf(Headers headers) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, KAFKA_HEADERS);
    }

    JobSpans startJob(Context parent, Job job) {
        Span span = tracer.spanBuilder("rake job").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("tenant_id", job.tenantId()).setAttribute("request_id", job.jobId().toString())
                .setAttribute("ragline.job_id", job.jobId().toString()).setAttribute("ragline.rake.source", job.source())
                .setAttribute("ragline.rake.attempt", job.attempts()).startSpan();
        return new JobSpans(tracer, span, job);
    }

    /** One run's spans; called under the job control's lock. */
    public static final class JobSpans {
        private final Tracer tracer;
        private final Span job;
        private final Job record;
        private final Map<String, Span> stages = new HashMap<>();
        private boolean ended;

        JobSpans(Tracer tracer, Span job, Job record) {
            this.tracer = tracer;
            this.job = job;
            this.record = record;
        }

        void stageStarted(String stage) {
            stages.computeIfAbsent(stage, name -> tracer.spanBuilder("rake stage " + name)
                    .setParent(Context.root().with(job)).setAttribute("tenant_id", record.tenantId())
                    .setAttribute("request_id", record.jobId().toString())
                    .setAttribute("ragline.job_id", record.jobId().toString()).setAttribute("ragline.rake.stage", name)
                    .startSpan());
        }

        void stageFinished(String stage, long busyNanos) {
            Span span = stages.remove(stage);
            if (span != null) {
                span.setAttribute("ragline.rake.busy_ms", busyNanos / 1_000_000);
                span.end();
            }
        }

        void end(String status, String stopReason, int documentErrors) {
            if (ended) {
                return;
            }
            ended = true;
            stages.values().forEach(span -> {
                span.setStatus(StatusCode.ERROR, "job ended before the stage finished");
                span.end();
            });
            stages.clear();
            if (stopReason != null) {
                job.setAttribute("ragline.rake.stopped", stopReason);
            }
            job.setAttribute("ragline.rake.document_errors", documentErrors);
            job.setAttribute("ragline.rake.status", status);
            if ("failed".equals(status)) {
                job.setStatus(StatusCode.ERROR, "job failed");
            }
            job.end();
        }
    }
}
