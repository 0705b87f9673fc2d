package dev.ragline.worker.telemetry;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import dev.ragline.contracts.EventHeaders;
import dev.ragline.worker.KafkaHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * One CONSUMER span per record of a batch a consumer processes, a child of the record's {@code traceparent}
 * header (the relay's publish), so each event's trace reaches the consumers although they apply a batch at
 * once. Attributes name the tenant and the event, never the payload.
 */
@ApplicationScoped
public class ConsumerSpans {

    private static final TextMapGetter<ConsumerRecord<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ConsumerRecord<String, String> record) {
            List<String> keys = new ArrayList<>();
            record.headers().forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(ConsumerRecord<String, String> record, String key) {
            return record == null ? null : KafkaHeaders.get(record, key);
        }
    };

    private final Tracer tracer;

    ConsumerSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Handles a batch under one consumer span per record, each a child of its record's traceparent header;
     * a failure marks every span of the batch, since the batch is retried or dead-lettered as a whole.
     */
    public void around(String consumer, ConsumerRecords<String, String> records, Runnable handler) {
        List<Span> spans = start(consumer, records);
        try {
            handler.run();
        } catch (RuntimeException e) {
            spans.forEach(span -> span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName()));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    private List<Span> start(String consumer, ConsumerRecords<String, String> records) {
        List<Span> spans = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), record, HEADERS);
            var span = tracer.spanBuilder(record.topic() + " process " + consumer).setParent(parent)
                    .setSpanKind(SpanKind.CONSUMER).setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.destination.name", record.topic())
                    .setAttribute("messaging.operation.type", "process")
                    .setAttribute("messaging.consumer.group.name", consumer).setAttribute("ragline.consumer", consumer);
            copyHeader(record, EventHeaders.TENANT_ID, "tenant_id", span);
            copyHeader(record, EventHeaders.EVENT_ID, "ragline.event_id", span);
            copyHeader(record, EventHeaders.EVENT_TYPE, "ragline.event_type", span);
            spans.add(span.startSpan());
        }
        return spans;
    }

    private static void copyHeader(ConsumerRecord<String, String> record, String header, String attribute,
            io.opentelemetry.api.trace.SpanBuilder span) {
        String value = KafkaHeaders.get(record, header);
        if (value != null) {
            span.setAttribute(attribute, value);
        }
    }
}
