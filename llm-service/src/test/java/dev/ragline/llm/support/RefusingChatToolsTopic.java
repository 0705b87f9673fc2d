package dev.ragline.llm.support;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * llm-service publishing chat_tool_executed to a topic of its own that the broker refuses writes to until the
 * test says otherwise: the topic accepts no record larger than 256 bytes (max.message.bytes) and every event
 * is larger, so every send fails with RECORD_TOO_LARGE. Nothing of the local stack is stopped. (Asking for
 * more in-sync replicas than the one local broker no longer refuses writes: Kafka 4 caps the minimum at the
 * replication factor.)
 */
public class RefusingChatToolsTopic implements QuarkusTestProfile {

    public static final String TOPIC = "ragline.test.chat_tools.refusing.llm";

    @Override
    public Map<String, String> getConfigOverrides() {
        refuseWrites();
        return Map.of("mp.messaging.outgoing.chat-tools.topic", TOPIC);
    }

    /** Creates the topic if needed and makes the broker refuse acks=all writes to it. */
    public static void refuseWrites() {
        maxMessageBytes("256");
    }

    /** The broker's outage is over: writes to the topic are accepted again. */
    public static void acceptWrites() {
        maxMessageBytes("1048588");
    }

    private static void maxMessageBytes(String value) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        try (Admin admin = Admin.create(properties)) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            admin.incrementalAlterConfigs(Map.of(topic, Set.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", value), AlterConfigOp.OpType.SET)))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot configure " + TOPIC, e.getCause());
        }
    }
}
