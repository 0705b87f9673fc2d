package dev.ragline.api.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.api.common.TenantDatabase;
import dev.ragline.api.support.Menu;
import dev.ragline.api.support.TestTenants;
import dev.ragline.contracts.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Row;

/** Every outbox row, wrapped as the envelope the relay publishes, satisfies the published event schemas. */
@QuarkusTest
class OutboxContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestTenants testTenants;

    @Inject
    TenantDatabase database;

    @Test
    void every_product_and_order_change_writes_a_schema_valid_event_with_increasing_versions() throws Exception {
        var tenant = testTenants.create("outbox");
        String staff = tenant.staffToken();
        String customer = tenant.customerToken();
        String pizza = Menu.create(staff, "Margherita", "9.50", "pizza", "vegetarian");
        given().auth().oauth2(staff).contentType(ContentType.JSON)
                .body(Menu.product("Margherita DOP", "11.00", "pizza", List.of()))
                .put("/v1/products/" + pizza).then().statusCode(200);
        String order = given().auth().oauth2(customer).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("product_id", pizza, "quantity", 2))))
                .post("/v1/orders").then().statusCode(201).extract().path("id");
        given().auth().oauth2(staff).contentType(ContentType.JSON).body(Map.of("status", "confirmed"))
                .patch("/v1/orders/" + order + "/status").then().statusCode(200);
        given().auth().oauth2(staff).post("/v1/orders/" + order + "/cancel").then().statusCode(200);
        String dessert = Menu.create(staff, "Tiramisu", "6.00", "desserts");
        given().auth().oauth2(staff).delete("/v1/products/" + dessert).then().statusCode(204);

        List<JsonNode> events = envelopes(tenant.id());

        assertThat(events).extracting(e -> e.get("event_type").asText()).containsExactly(
                "product_upserted", "product_upserted", "order_created", "order_updated", "order_cancelled",
                "product_upserted", "product_deleted");
        for (JsonNode event : events) {
            assertThat(EventSchemas.violations(event)).as(event.toString()).isEmpty();
        }
        assertThat(versionsOf(events, order)).containsExactly(1L, 2L, 3L);
        assertThat(versionsOf(events, pizza)).containsExactly(1L, 2L);
        assertThat(versionsOf(events, dessert)).containsExactly(1L, 2L);
        JsonNode created = events.get(2).get("payload");
        assertThat(created.get("total").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(created.get("items").get(0).get("quantity").asInt()).isEqualTo(2);
    }

    private static List<Long> versionsOf(List<JsonNode> events, String aggregateId) {
        return events.stream().filter(e -> e.get("aggregate_id").asText().equals(aggregateId))
                .map(e -> e.get("aggregate_version").asLong()).toList();
    }

    private List<JsonNode> envelopes(UUID tenantId) throws Exception {
        var rows = database.inTenant(tenantId, tx -> tx.query("""
                SELECT event_id, event_type, version, tenant_id, aggregate_id, aggregate_version, occurred_at, traceparent,
                       payload::text AS payload
                FROM outbox ORDER BY occurred_at, aggregate_version""").execute()).await().atMost(Duration.ofSeconds(10));
        List<JsonNode> envelopes = new ArrayList<>();
        for (Row row : rows) {
            ObjectNode envelope = JSON.createObjectNode()
                    .put("event_id", row.getUUID("event_id").toString())
                    .put("event_type", row.getString("event_type"))
                    .put("version", row.getInteger("version"))
                    .put("tenant_id", row.getUUID("tenant_id").toString())
                    .put("aggregate_id", row.getUUID("aggregate_id").toString())
                    .put("aggregate_version", row.getLong("aggregate_version"))
                    .put("occurred_at", row.getOffsetDateTime("occurred_at").toInstant().toString())
                    .put("traceparent", row.getString("traceparent"));
            envelope.set("payload", JSON.readTree(row.getString("payload")));
            envelopes.add(envelope);
        }
        return envelopes;
    }
}
