package dev.ragline.e2e.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ragline.e2e.support.RaglineSystem;
import dev.ragline.e2e.support.Service;
import dev.ragline.e2e.tracing.OtlpReceiver.ReceivedSpan;
import io.restassured.specification.RequestSpecification;

/**
 * The whole system exporting its spans over OTLP/HTTP to a receiver this test runs: one trace per order and
 * per ingest job, from the caller's traceparent to the last consumer, each hop a child of the one before.
 */
class TraceAcrossServicesIT {

    private static final Duration EXPORTED = Duration.ofSeconds(60);

    private static OtlpReceiver receiver;
    private static RaglineSystem system;

    @BeforeAll
    static void start() {
        receiver = OtlpReceiver.start();
        RaglineSystem.Builder builder = RaglineSystem.builder().demoData();
        for (Service service : Service.values()) {
            builder.env(service, "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint())
                    // Exported within a fraction of a second, so the test waits for the system, not the batch.
                    .env(service, "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        }
        system = builder.start();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void an_order_is_one_trace_from_the_request_through_the_relay_to_both_consumers_and_the_stream() {
        String token = system.login("demo", "customer@demo.test");
        Caller caller = Caller.random();

        String productId = frontDoor().auth().oauth2(token).get("/v1/products?size=1").then().statusCode(200).extract()
                .path("items[0].id");
        frontDoor().auth().oauth2(token).header("traceparent", caller.traceparent())
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType("application/json")
                .body(Map.of("items", List.of(Map.of("product_id", productId, "quantity", 1))))
                .post("/v1/orders").then().statusCode(201);

        ReceivedSpan request = awaitSpan(caller, span -> span.service().equals("api-service")
                && span.kind().equals("SPAN_KIND_SERVER") && span.parentSpanId().equals(caller.spanId()));
        ReceivedSpan publish = awaitSpan(caller,
                span -> span.service().equals("worker-service") && span.kind().equals("SPAN_KIND_PRODUCER"));
        ReceivedSpan notifications = awaitSpan(caller, consumer("notifications"));
        ReceivedSpan webhooks = awaitSpan(caller, consumer("webhooks"));
        ReceivedSpan delivery = awaitSpan(caller,
                span -> span.service().equals("api-service") && span.kind().equals("SPAN_KIND_CONSUMER"));

        assertThat(request.name()).isEqualTo("POST /v1/orders");
        assertThat(request.attribute("tenant_id")).isNotBlank();
        assertThat(request.attribute("user_id")).isNotBlank();
        assertThat(request.attribute("request_id")).isNotBlank();
        assertThat(ancestorsOf(publish, caller)).contains(request.spanId());
        assertThat(publish.attribute("tenant_id")).isEqualTo(request.attribute("tenant_id"));
        assertThat(notifications.parentSpanId()).isEqualTo(publish.spanId());
        assertThat(webhooks.parentSpanId()).isEqualTo(publish.spanId());
        assertThat(notifications.attribute("tenant_id")).isEqualTo(request.attribute("tenant_id"));
        assertThat(delivery.parentSpanId()).isEqualTo(publish.spanId());
        assertThat(delivery.attribute("tenant_id")).isEqualTo(request.attribute("tenant_id"));
        assertNoSecrets(caller, token);
    }

    @Test
    void an_ingest_job_is_one_trace_from_the_request_through_kafka_to_each_stage() {
        String token = system.login("demo", "admin@demo.test");
        Caller caller = Caller.random();
        String text = "Trace test deliveries leave the depot at noon " + UUID.randomUUID();

        frontDoor().auth().oauth2(token).header("traceparent", caller.traceparent()).contentType("application/json")
                .body(Map.of("source", "file_upload", "files", List.of(Map.of("filename", "trace.txt", "content", text))))
                .post("/api/v1/jobs").then().statusCode(202);

        ReceivedSpan request = awaitSpan(caller, span -> span.service().equals("ingest-service")
                && span.kind().equals("SPAN_KIND_SERVER") && span.parentSpanId().equals(caller.spanId()));
        ReceivedSpan job = awaitSpan(caller, span -> span.name().equals("rake job"));
        await().atMost(EXPORTED).until(() -> receiver.trace(caller.traceId()).stream()
                .anyMatch(span -> span.name().startsWith("rake stage ")));
        List<ReceivedSpan> stages = receiver.trace(caller.traceId()).stream()
                .filter(span -> span.name().startsWith("rake stage ")).toList();

        assertThat(request.attribute("tenant_id")).isNotBlank();
        assertThat(request.attribute("user_id")).isNotBlank();
        assertThat(request.attribute("request_id")).isNotBlank();
        assertThat(ancestorsOf(job, caller)).contains(request.spanId());
        assertThat(job.attribute("tenant_id")).isEqualTo(request.attribute("tenant_id"));
        assertThat(stages).allSatisfy(stage -> {
            assertThat(stage.parentSpanId()).isEqualTo(job.spanId());
            assertThat(stage.attribute("tenant_id")).isEqualTo(request.attribute("tenant_id"));
        });
        assertNoSecrets(caller, token, text);
    }

    @Test
    void a_chat_turn_is_one_trace_through_its_tool_calls_into_api_service_and_ingest_service() {
        String token = system.login("demo", "customer@demo.test");
        Caller pricing = Caller.random();
        Caller documents = Caller.random();

        chat(token, pricing, "Add 2 Pizza Margherita and 1 Trofie al pesto, promo code WELCOME10");
        chat(token, documents, "Which allergens are in the tiramisu?");

        assertToolCallReaches(pricing, "tool apply_promos", "api-service");
        assertToolCallReaches(documents, "tool search_documents", "ingest-service");
        assertNoSecrets(pricing, token);
        assertNoSecrets(documents, token);
    }

    private static void chat(String token, Caller caller, String message) {
        frontDoor().auth().oauth2(token).header("traceparent", caller.traceparent()).contentType("application/json")
                .accept("text/event-stream").body(Map.of("message", message)).post("/v1/chat").then().statusCode(200);
    }

    /** The turn's request span names the caller, and the tool's call lands in the service under the tool's span. */
    private static void assertToolCallReaches(Caller caller, String tool, String service) {
        ReceivedSpan request = awaitSpan(caller, span -> span.service().equals("llm-service")
                && span.kind().equals("SPAN_KIND_SERVER") && span.parentSpanId().equals(caller.spanId()));
        ReceivedSpan toolSpan = awaitSpan(caller, span -> span.service().equals("llm-service") && span.name().equals(tool));
        ReceivedSpan served = awaitSpan(caller,
                span -> span.service().equals(service) && span.kind().equals("SPAN_KIND_SERVER"));

        assertThat(request.attribute("tenant_id")).isNotBlank();
        assertThat(request.attribute("user_id")).isNotBlank();
        assertThat(ancestorsOf(toolSpan, caller)).contains(request.spanId());
        assertThat(ancestorsOf(served, caller)).contains(toolSpan.spanId());
        assertThat(served.attribute("tenant_id")).isEqualTo(request.attribute("tenant_id"));
        assertThat(served.attribute("user_id")).isEqualTo(request.attribute("user_id"));
    }

    private static Predicate<ReceivedSpan> consumer(String name) {
        return span -> span.service().equals("worker-service") && span.kind().equals("SPAN_KIND_CONSUMER")
                && name.equals(span.attribute("ragline.consumer"));
    }

    private static ReceivedSpan awaitSpan(Caller caller, Predicate<ReceivedSpan> wanted) {
        try {
            return await().atMost(EXPORTED).until(
                    () -> receiver.trace(caller.traceId()).stream().filter(wanted).findFirst().orElse(null),
                    span -> span != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // What the trace did have says which hop broke.
            throw new AssertionError("span missing from trace " + caller.traceId() + ", which has "
                    + receiver.trace(caller.traceId()).stream()
                            .map(span -> span.service() + ":" + span.kind() + ":" + span.name() + " " + span.spanId()
                                    + "<-" + span.parentSpanId())
                            .toList(),
                    e);
        }
    }

    /** The span ids above a span in its trace, nearest first. */
    private static List<String> ancestorsOf(ReceivedSpan span, Caller caller) {
        Map<String, ReceivedSpan> byId = receiver.trace(caller.traceId()).stream()
                .collect(java.util.stream.Collectors.toMap(ReceivedSpan::spanId, s -> s, (a, b) -> a));
        List<String> ancestors = new java.util.ArrayList<>();
        for (String parent = span.parentSpanId(); !parent.isEmpty() && ancestors.size() < 32;) {
            ancestors.add(parent);
            ReceivedSpan next = byId.get(parent);
            parent = next == null ? "" : next.parentSpanId();
        }
        return ancestors;
    }

    /** No attribute of the trace holds an email, the token, the password or the document's text. */
    private static void assertNoSecrets(Caller caller, String token, String... texts) {
        List<String> values = receiver.trace(caller.traceId()).stream()
                .flatMap(span -> span.attributes().values().stream()).toList();
        assertThat(values).isNotEmpty().noneMatch(value -> value.matches("(?s).*[\\w.+-]+@[\\w-]+\\.[\\w.]+.*"))
                .noneMatch(value -> value.contains(token) || value.contains(token.substring(0, 20)))
                .noneMatch(value -> value.toLowerCase(java.util.Locale.ROOT).contains("bearer"))
                .noneMatch(value -> value.contains(RaglineSystem.DEMO_PASSWORD));
        for (String text : texts) {
            assertThat(values).noneMatch(value -> value.contains(text) || value.contains(text.substring(0, 24)));
        }
    }

    private static RequestSpecification frontDoor() {
        return given().baseUri(system.frontDoor().toString());
    }

    /** The caller's own span, so the test knows the trace id before any service answers. */
    private record Caller(String traceId, String spanId) {

        static Caller random() {
            HexFormat hex = HexFormat.of();
            byte[] trace = new byte[16];
            byte[] span = new byte[8];
            ThreadLocalRandom.current().nextBytes(trace);
            ThreadLocalRandom.current().nextBytes(span);
            return new Caller(hex.formatHex(trace), hex.formatHex(span));
        }

        String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }
}
