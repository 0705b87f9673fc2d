package dev.ragline.ingest.job.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.contracts.EventSchemas;

class RakeJobMessageTest {

    @Test
    void the_message_published_on_rake_jobs_satisfies_its_published_schema() {
        var message = JobDispatcher.message(new ObjectMapper(), "acme", UUID.randomUUID());

        assertThat(EventSchemas.violations(message)).isEmpty();

        message.remove("tenant_id");
        assertThat(EventSchemas.violations(message)).anyMatch(violation -> violation.contains("tenant_id"));
    }
}
