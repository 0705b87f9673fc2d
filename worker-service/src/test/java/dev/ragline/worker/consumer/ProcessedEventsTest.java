package dev.ragline.worker.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.worker.support.ApiOutbox;
import dev.ragline.worker.support.WorkerTables;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ProcessedEventsTest {

    @Inject
    ProcessedEvents processed;

    @Test
    void event_ids_older_than_the_retention_are_forgotten_and_recent_ones_kept() throws Exception {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        try (Connection connection = DriverManager.getConnection(ApiOutbox.URL, "postgres", "");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO worker.processed_events (consumer, event_id, processed_at) VALUES ('test', ?, now() - ?::interval)")) {
            insert.setObject(1, old);
            insert.setString(2, "9 days");
            insert.executeUpdate();
            insert.setObject(1, recent);
            insert.setString(2, "1 hour");
            insert.executeUpdate();
        }

        processed.forgetOlderThan(Duration.ofDays(8));

        assertThat(WorkerTables.count("SELECT count(*) FROM worker.processed_events WHERE event_id = ANY (?)", List.of(old)))
                .isZero();
        assertThat(WorkerTables.count("SELECT count(*) FROM worker.processed_events WHERE event_id = ANY (?)", List.of(recent)))
                .isOne();
    }
}
