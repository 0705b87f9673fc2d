package dev.ragline.llm.conversation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Kafka topics of one scenario run only, so the services under test neither read nor publish anything
 * that a running {@code ./ragline up} or another test owns.
 */
record ScenarioTopics(String products, String orders, String notifications, String chatTools) {

    static final String BOOTSTRAP = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

    static ScenarioTopics of(String run) {
        String prefix = "ragline.test.e2e." + run + ".";
        return new ScenarioTopics(prefix + "products", prefix + "orders", prefix + "notifications",
                prefix + "chat_tools");
    }

    /** Created up front, so every consumer finds its partitions at once instead of waiting for auto-creation. */
    ScenarioTopics create() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
            admin.createTopics(List.of(products, orders, notifications, chatTools, products + ".dlq").stream()
                    .map(name -> new NewTopic(name, 1, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the scenario's topics on " + BOOTSTRAP, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }
}
