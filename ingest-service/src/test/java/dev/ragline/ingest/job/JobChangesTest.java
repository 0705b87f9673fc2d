package dev.ragline.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.job.service.JobChanges;
import dev.ragline.ingest.support.LongText;
import dev.ragline.ingest.support.Rake;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;

/** Progress streams are driven by the jobs' committed changes, which PostgreSQL announces to every instance. */
@QuarkusTest
class JobChangesTest {

    @Inject
    JobChanges changes;

    @Test
    void every_committed_change_of_a_job_is_announced_until_it_finishes() {
        Rake rake = Rake.forNewTenant("changes");
        UUID jobId = UUID.fromString(rake.uploadText("guide.txt", LongText.paragraphs(40)));
        List<UUID> announced = new CopyOnWriteArrayList<>();
        Cancellable listening = changes.of(jobId).subscribe().with(announced::add);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> rake.job(jobId.toString()).getString("status"),
                    status -> status.equals("COMPLETED"));
            // Fetching, chunking, embedding, storing and the finish are each at least one committed change.
            await().atMost(Duration.ofSeconds(5)).until(() -> announced.size() >= 2);
            assertThat(announced).containsOnly(jobId);
        } finally {
            listening.cancel();
        }
    }

    @Test
    void a_change_of_another_job_is_not_announced_to_this_jobs_followers() {
        Rake rake = Rake.forNewTenant("changes-other");
        UUID followed = UUID.randomUUID();
        List<UUID> announced = new CopyOnWriteArrayList<>();
        Cancellable listening = changes.of(followed).subscribe().with(announced::add);
        try {
            String other = rake.uploadText("other.txt", LongText.paragraphs(5));
            await().atMost(Duration.ofSeconds(60)).until(() -> rake.job(other).getString("status"),
                    status -> status.equals("COMPLETED"));
            assertThat(announced).isEmpty();
        } finally {
            listening.cancel();
        }
    }
}
