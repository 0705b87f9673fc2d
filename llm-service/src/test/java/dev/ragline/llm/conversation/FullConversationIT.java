package dev.ragline.llm.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.llm.conversation.Restaurant.Dish;
import dev.ragline.llm.support.SseClient;
import dev.ragline.llm.support.SseClient.Reply;

/**
 * The whole suite as real processes on the local stack: the packaged api-service, worker-service (as the
 * outbox relay of this scenario's tenant) and llm-service with its offline responder, each on its own
 * port and on topics of this run only. A customer chats from a menu question to a placed order; the
 * order is then read back from api-service, and staff following the live order stream see it arrive.
 * The assertions are about which tools ran, what they found and what was ordered, not about wording.
 */
class FullConversationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal PRICE_LIMIT = new BigDecimal("12");

    private static ScenarioTopics topics;
    private static ServiceProcess api;
    private static ServiceProcess worker;
    private static ServiceProcess llm;
    private static Restaurant restaurant;

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    static void startTheSuiteAndOpenARestaurant() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        topics = ScenarioTopics.of(run).create();
        api = new ServiceProcess("api-service", Map.of("ragline.order-stream.topic", topics.orders())).start();
        llm = new ServiceProcess("llm-service", Map.of(
                "quarkus.rest-client.api-service.url", api.uri("").toString(),
                "mp.messaging.incoming.products.topic", topics.products(),
                "mp.messaging.incoming.products.dead-letter-queue.topic", topics.products() + ".dlq",
                "mp.messaging.incoming.products.group.id", "e2e-" + run + "-catalogue",
                "mp.messaging.outgoing.chat-tools.topic", topics.chatTools())).start();
        api.awaitReady();

        restaurant = Restaurant.open(api.uri("/"));
        restaurant.addDish("PZ-MARG", "Pizza Margherita", "pizza", "9.50", "vegetarian");
        restaurant.addDish("SA-CAPR", "Insalata caprese", "salads", "9.50", "vegetarian", "gluten-free");
        restaurant.addDish("PA-PEST", "Trofie al pesto", "pasta", "11.50", "vegetarian");
        restaurant.addDish("DE-TIRA", "Tiramisu", "desserts", "6.50", "vegetarian");
        restaurant.addDish("PZ-QFOR", "Pizza Quattro formaggi", "pizza", "12.50", "vegetarian");
        restaurant.addDish("MA-RISO", "Risotto ai funghi porcini", "mains", "16.00", "vegetarian", "gluten-free");
        restaurant.addDish("PZ-DIAV", "Pizza Diavola", "pizza", "11.50", "spicy");
        restaurant.addDish("PA-CARB", "Spaghetti carbonara", "pasta", "10.50");
        restaurant.addPercentPromotion("WELCOME10", 10, "20.00");

        Map<String, String> relay = Map.of(
                "ragline.relay.tenants", restaurant.tenantId().toString(),
                "ragline.topics.products", topics.products(),
                "ragline.topics.orders", topics.orders(),
                "ragline.topics.notifications", topics.notifications(),
                "mp.messaging.incoming.order-notifications.group.id", "e2e-" + run + "-notifications",
                "mp.messaging.incoming.order-webhooks.group.id", "e2e-" + run + "-webhooks");
        worker = new ServiceProcess("worker-service", relay).start().awaitReady();
        llm.awaitReady();

        // product_upserted: api-service outbox -> worker relay -> Kafka -> llm-service catalogue index
        await("the catalogue index holds the restaurant's menu (if not: target/e2e-llm-service.log and the topic "
                + topics.products() + ".dlq tell why)").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> CatalogueIndexTable.indexedProductsOf(restaurant.tenantId()) == restaurant.menu().size());
    }

    @AfterAll
    static void stopTheSuite() {
        for (ServiceProcess process : new ServiceProcess[] { llm, worker, api }) {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void a_customer_chats_from_vegetarian_dishes_under_a_price_to_a_discounted_order_that_staff_see_live()
            throws Exception {
        SseClient chat = new SseClient(llm.uri("/"));
        String customer = restaurant.customerToken();
        String customerId = restaurant.me(customer).path("id").asText();
        Dish margherita = restaurant.menu().get("Pizza Margherita");
        Dish pesto = restaurant.menu().get("Trofie al pesto");

        Reply search = chat.send(customer, null, "Show me vegetarian dishes under 12 euros");
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.toolsCalled()).containsExactly("retrieve_menu");
        JsonNode searchArguments = search.ofType("tool_call").getFirst().data().path("arguments");
        assertThat(searchArguments.path("max_price").decimalValue()).isEqualByComparingTo(PRICE_LIMIT);
        assertThat(texts(searchArguments.path("tags"))).containsExactly("vegetarian");
        JsonNode found = search.toolResult("retrieve_menu");
        assertThat(found.path("outcome").asText()).isEqualTo("ok");
        JsonNode items = found.path("result").path("items");
        items.forEach(item -> {
            assertThat(texts(item.path("tags"))).as("tags of %s", item.path("name")).contains("vegetarian");
            assertThat(item.path("price").decimalValue()).as("price of %s", item.path("name"))
                    .isLessThanOrEqualTo(PRICE_LIMIT);
        });
        Set<String> vegetarianUnderTheLimit = restaurant.menu().values().stream()
                .filter(dish -> dish.vegetarian() && dish.price().compareTo(PRICE_LIMIT) <= 0)
                .map(dish -> dish.id().toString()).collect(Collectors.toSet());
        assertThat(StreamSupport.stream(items.spliterator(), false).map(item -> item.path("id").asText()))
                .containsExactlyInAnyOrderElementsOf(vegetarianUnderTheLimit);
        assertThat(search.last().type()).isEqualTo("done");
        UUID session = search.sessionId();

        Reply priced = chat.send(customer, session, "Add 2 Pizza Margherita and 1 Trofie al pesto, promo code WELCOME10");
        assertThat(priced.toolsCalled()).containsExactly("apply_promos");
        JsonNode cartArguments = priced.ofType("tool_call").getFirst().data().path("arguments");
        assertThat(cartArguments.path("promo_code").asText()).isEqualTo("WELCOME10");
        assertThat(quantities(cartArguments.path("items")))
                .isEqualTo(Map.of(margherita.id().toString(), 2, pesto.id().toString(), 1));
        JsonNode cart = priced.toolResult("apply_promos");
        assertThat(cart.path("outcome").asText()).isEqualTo("ok");
        assertThat(cart.path("result").path("promo_applied").asBoolean()).isTrue();
        assertThat(cart.path("result").path("subtotal").decimalValue()).isEqualByComparingTo("30.50");
        assertThat(cart.path("result").path("discount").decimalValue()).isEqualByComparingTo("3.05");
        assertThat(cart.path("result").path("total").decimalValue()).isEqualByComparingTo("27.45");
        assertThat(priced.last().type()).isEqualTo("done");

        try (OrderStreamListener staffStream = OrderStreamListener.open(api.uri("/v1/events/orders"),
                restaurant.staffToken())) {
            Reply confirmed = chat.send(customer, session, "Yes, please confirm the order");
            assertThat(confirmed.toolsCalled()).containsExactly("confirm");
            JsonNode placed = confirmed.toolResult("confirm");
            assertThat(placed.path("outcome").asText()).isEqualTo("ok");
            String orderId = placed.path("result").path("id").asText();
            assertThat(UUID.fromString(orderId)).isNotNull();
            assertThat(confirmed.last().type()).isEqualTo("done");

            JsonNode order = restaurant.order(customer, orderId);
            assertThat(order.path("user_id").asText()).isEqualTo(customerId);
            assertThat(order.path("status").asText()).isEqualTo("pending");
            assertThat(order.path("promo_code").asText()).isEqualTo("WELCOME10");
            assertThat(quantities(order.path("items")))
                    .isEqualTo(Map.of(margherita.id().toString(), 2, pesto.id().toString(), 1));
            assertThat(order.path("subtotal").decimalValue()).isEqualByComparingTo("30.50");
            assertThat(order.path("discount").decimalValue()).isEqualByComparingTo("3.05");
            assertThat(order.path("total").decimalValue()).isEqualByComparingTo("27.45");

            // order_created: api-service outbox -> worker relay -> Kafka -> api-service order stream -> staff
            OrderStreamListener.Frame created = await("order_created reaches the staff's order stream")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> staffStream.frames().stream()
                            .filter(frame -> frame.data().path("aggregate_id").asText().equals(orderId)).findFirst(),
                            java.util.Optional::isPresent)
                    .orElseThrow();
            assertThat(created.event()).isEqualTo("order_created");
            assertThat(created.data().path("tenant_id").asText()).isEqualTo(restaurant.tenantId().toString());
            assertThat(created.data().path("payload").path("user_id").asText()).isEqualTo(customerId);
            assertThat(created.data().path("payload").path("total").decimalValue()).isEqualByComparingTo("27.45");
        }

        // Every tool execution of the conversation is on the chat-tools topic, keyed by the session.
        await("chat_tool_executed events of the session").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(TopicRecords.of(topics.chatTools()).stream()
                        .filter(record -> session.toString().equals(record.key()))
                        .map(record -> payloadOf(record.value()))
                        .map(payload -> payload.path("tool_name").asText() + ":" + payload.path("outcome").asText()))
                        .containsExactly("retrieve_menu:ok", "apply_promos:ok", "confirm:ok"));
    }

    private static JsonNode payloadOf(String event) {
        try {
            return JSON.readTree(event).path("payload");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static Map<String, Integer> quantities(JsonNode lines) {
        return StreamSupport.stream(lines.spliterator(), false).collect(Collectors.toMap(
                line -> line.path("product_id").asText(), line -> line.path("quantity").asInt(), Integer::sum));
    }
}
