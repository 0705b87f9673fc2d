package dev.ragline.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.support.LongText;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** GET /api/v1/jobs/{id}/events streams a job's progress as server-sent events until it finishes. */
@QuarkusTest
class JobEventsTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void the_event_stream_follows_a_job_through_its_stages_to_completion() throws Exception {
        String token = Tokens.staffOf(Tokens.newTenant("events"));
        Rake rake = new Rake(token);
        String jobId = rake.uploadText("guide.txt", LongText.paragraphs(60));

        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("/api/v1/jobs/" + jobId + "/events"))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(90)).build(),
                HttpResponse.BodyHandlers.ofLines());

        assertThat(response.statusCode()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = response.body().filter(line -> line.startsWith("data:"))
                .map(line -> read(json, line.substring(5).trim())).toList(); // ends when the server completes the stream

        assertThat(events).hasSizeGreaterThan(1);
        assertThat(events.getLast().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(events.getLast().path("progress").path("percentage").asInt()).isEqualTo(100);
        // The stream reads the job again on each change it is told of, and a stage may be over by then, so it
        // need not have an event of its own; the job's record of its stages says each one ran.
        assertThat(events.getLast().path("stages").path("embed").path("started_at").isTextual()).isTrue();
        assertThat(events.getLast().path("progress").path("chunks_done").asInt()).isPositive();
        List<Integer> percentages = events.stream().map(event -> event.path("progress").path("percentage").asInt())
                .toList();
        assertThat(percentages).isSorted();
    }

    @Test
    void another_tenant_cannot_follow_the_job() {
        Rake owner = Rake.forNewTenant("events-owner");
        String jobId = owner.uploadText("a.txt", "Private progress.");
        Rake.forNewTenant("events-stranger").request().get("/api/v1/jobs/" + jobId + "/events").then().statusCode(404);
    }

    private static JsonNode read(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
