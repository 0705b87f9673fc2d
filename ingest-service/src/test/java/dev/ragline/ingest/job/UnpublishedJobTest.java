package dev.ragline.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.job.repository.JobRepository;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** A job stored but never published (the broker was down, the instance died in between) still runs. */
@QuarkusTest
class UnpublishedJobTest {

    @Inject
    JobRepository jobs;

    @Test
    void the_reaper_publishes_a_stored_job_that_never_reached_kafka() throws Exception {
        String tenant = Tokens.newTenant("unpublished");
        UUID jobId = UUID.randomUUID();
        jobs.create(tenant, jobId, "file_upload", new ObjectMapper().readTree("{}"), null,
                List.of(new JobRepository.NewFile("stranded.txt", "text/plain",
                        "Stored, then the broker went away before the job was published."
                                .getBytes(StandardCharsets.UTF_8))));

        Rake rake = new Rake(Tokens.staffOf(tenant));
        rake.awaitCompleted(jobId.toString());

        assertThat(rake.documents().getList("items.source_id")).containsExactly("stranded.txt");
    }
}
