package dev.ragline.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class EventSchemasTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode orderCreated() throws Exception {
        return (ObjectNode) MAPPER.readTree(
                """
                        {"event_id": "0b0e6f4e-53d4-4bfb-8a55-4b7d3f3c9a10", "event_type": "order_created", "version": 1,
                         "tenant_id": "6c2d4a63-4e7f-4b8e-9a35-7a2b7f7f2c11", "aggregate_id": "3f9a1c2e-8b1d-4c55-9f0e-1a2b3c4d5e6f",
                         "aggregate_version": 1, "occurred_at": "2026-11-24T10:15:30Z", "traceparent": null,
                         "payload": {"order_id": "3f9a1c2e-8b1d-4c55-9f0e-1a2b3c4d5e6f", "user_id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
                           "status": "pending", "items": [{"product_id": "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6", "name": "Margherita",
                           "quantity": 2, "unit_price": 11.50, "line_total": 23.00}], "promo_code": null,
                           "subtotal": 23.00, "discount": 0, "total": 23.00, "currency": "EUR",
                           "created_at": "2026-11-24T10:15:30Z", "updated_at": "2026-11-24T10:15:30Z"}}""");
    }

    @Test
    void a_complete_order_created_event_satisfies_order_v1() throws Exception {
        assertThat(EventSchemas.violations(orderCreated())).isEmpty();
    }

    @Test
    void an_order_event_without_its_customer_is_rejected() throws Exception {
        ObjectNode event = orderCreated();
        ((ObjectNode) event.get("payload")).remove("user_id");

        assertThat(EventSchemas.violations(event)).anyMatch(message -> message.contains("user_id"));
    }

    @Test
    void a_product_deletion_needs_only_the_product_identity() throws Exception {
        JsonNode deleted = MAPPER.readTree("""
                {"event_id": "0b0e6f4e-53d4-4bfb-8a55-4b7d3f3c9a11", "event_type": "product_deleted", "version": 1,
                 "tenant_id": "6c2d4a63-4e7f-4b8e-9a35-7a2b7f7f2c11", "aggregate_id": "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6",
                 "aggregate_version": 4, "occurred_at": "2026-11-24T10:15:30Z",
                 "payload": {"product_id": "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6", "sku": "PZ-001"}}""");

        assertThat(EventSchemas.violations(deleted)).isEmpty();
    }

    @Test
    void an_unknown_event_type_has_no_schema() {
        assertThatThrownBy(() -> EventSchemas.schemaFileOf("order_teleported", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_order_status_notification_names_the_customer_it_is_for() throws Exception {
        ObjectNode notification = (ObjectNode) MAPPER.readTree(
                """
                        {"event_id": "0b0e6f4e-53d4-4bfb-8a55-4b7d3f3c9a12", "event_type": "order_status_changed", "version": 1,
                         "tenant_id": "6c2d4a63-4e7f-4b8e-9a35-7a2b7f7f2c11", "aggregate_id": "3f9a1c2e-8b1d-4c55-9f0e-1a2b3c4d5e6f",
                         "aggregate_version": 2, "occurred_at": "2026-11-24T10:15:30Z",
                         "payload": {"user_id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "order_id": "3f9a1c2e-8b1d-4c55-9f0e-1a2b3c4d5e6f",
                           "status": "confirmed", "message": "Your order is confirmed.",
                           "source_event_id": "0b0e6f4e-53d4-4bfb-8a55-4b7d3f3c9a10"}}""");

        assertThat(EventSchemas.schemaFileOf("order_status_changed", 1)).isEqualTo("notification_v1.json");
        assertThat(EventSchemas.violations(notification)).isEmpty();
        ((ObjectNode) notification.get("payload")).remove("user_id");
        assertThat(EventSchemas.violations(notification)).anyMatch(message -> message.contains("user_id"));
    }
}
