package dev.ragline.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ragline.llm.support.ChatToolEvents;
import dev.ragline.llm.support.FakeApiServiceResource;
import dev.ragline.llm.support.RefusingChatToolsTopic;
import dev.ragline.llm.support.RestaurantChat;
import dev.ragline.llm.support.SseClient.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** A chat_tool_executed event the broker refused is kept and published once the broker accepts it again. */
@QuarkusTest
@TestProfile(RefusingChatToolsTopic.class)
@QuarkusTestResource(FakeApiServiceResource.class)
class ChatToolEventOutboxTest extends RestaurantChat {

    @Inject
    Pool pool;

    @AfterEach
    void brokerRefusesAgain() {
        RefusingChatToolsTopic.refuseWrites();
    }

    @Test
    void a_tool_event_the_broker_refused_is_published_once_it_accepts_writes_again() {
        Reply reply = chat.send(customer.token(), null, "Do you have anything spicy?");

        assertThat(reply.toolsCalled()).containsExactly("retrieve_menu");
        assertThat(reply.last().type()).isEqualTo("done");
        // The relay has tried (and been refused) several times within these 3 s; the event waits in the outbox.
        assertThat(ChatToolEvents.ofSession(RefusingChatToolsTopic.TOPIC, reply.sessionId(), 1, Duration.ofSeconds(3)))
                .isEmpty();
        assertThat(waitingInOutbox(reply.sessionId())).isEqualTo(1);

        RefusingChatToolsTopic.acceptWrites();

        List<ChatToolEvents.Published> published = ChatToolEvents.ofSession(RefusingChatToolsTopic.TOPIC,
                reply.sessionId(), 1, Duration.ofSeconds(30));
        assertThat(published).singleElement().satisfies(record -> {
            assertThat(record.event().path("payload").path("tool_name").asText()).isEqualTo("retrieve_menu");
            assertThat(record.event().path("tenant_id").asText()).isEqualTo(tenant.toString());
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingInOutbox(reply.sessionId()) == 0);
    }

    private long waitingInOutbox(UUID sessionId) {
        return pool.preparedQuery("SELECT count(*) FROM chat_tool_outbox WHERE session_id = $1")
                .execute(Tuple.of(sessionId)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }
}
