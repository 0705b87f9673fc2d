package dev.ragline.ingest.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

/**
 * An admin's browser follows a job with its native EventSource, which sends the ragline_stream
 * cookie (api-service's stream session) and no header; the cookie opens that stream and nothing else.
 */
@QuarkusTest
class JobEventsCookieTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void the_stream_cookie_opens_a_jobs_event_stream_to_completion() throws Exception {
        String tenant = Tokens.newTenant("cookie");
        Rake rake = new Rake(Tokens.staffOf(tenant));
        String jobId = rake.uploadText("notes.txt", "Deliveries leave the kitchen at noon.");

        HttpResponse<java.util.stream.Stream<String>> response = events(jobId, streamSession(tenant, "staff", 900));

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = response.body().filter(line -> line.startsWith("data:")).toList();
        assertThat(data).isNotEmpty();
        assertThat(data.getLast()).contains("\"COMPLETED\"");
    }

    @Test
    void the_stream_cookie_is_refused_on_every_other_endpoint() {
        String tenant = Tokens.newTenant("cookie-elsewhere");
        String session = streamSession(tenant, "admin", 900);

        given().header("Cookie", "ragline_stream=" + session).get("/api/v1/jobs").then().statusCode(401);
        given().header("Cookie", "ragline_stream=" + session).get("/api/v1/documents").then().statusCode(401);
        given().auth().oauth2(session).get("/api/v1/jobs").then().statusCode(401);
    }

    @Test
    void a_cookie_of_another_tenant_cannot_follow_the_job() {
        Rake demo = Rake.forNewTenant("cookie-demo");
        String jobId = demo.uploadText("a.txt", "Private progress.");

        given().header("Cookie", "ragline_stream=" + streamSession(Tokens.newTenant("cookie-globex"), "admin", 900))
                .accept("text/event-stream").get("/api/v1/jobs/" + jobId + "/events").then().statusCode(404);
    }

    @Test
    void an_expired_cookie_is_a_401_problem() {
        Rake demo = Rake.forNewTenant("cookie-expired");
        String jobId = demo.uploadText("a.txt", "Progress.");

        given().header("Cookie", "ragline_stream=" + streamSession(Tokens.newTenant("x"), "staff", -600))
                .accept("text/event-stream").get("/api/v1/jobs/" + jobId + "/events").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void the_authorization_header_still_opens_the_stream() throws Exception {
        String tenant = Tokens.newTenant("cookie-header");
        String token = Tokens.staffOf(tenant);
        String jobId = new Rake(token).uploadText("b.txt", "Header clients keep working.");

        HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(
                "/api/v1/jobs/" + jobId + "/events")).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(90)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private HttpResponse<java.util.stream.Stream<String>> events(String jobId, String session) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs/" + jobId + "/events"))
                .header("Cookie", "ragline_stream=" + session).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** A stream session as api-service's POST /v1/auth/stream-session signs it. */
    private static String streamSession(String tenant, String role, long expiresInSeconds) {
        String user = UUID.randomUUID().toString();
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer("https://ragline.dev/stream-session").audience("ragline-stream").subject(user)
                .upn(role + "@" + tenant + ".example").claim("tenant_id", tenant).claim("user_id", user)
                .claim("roles", Set.of(role)).groups(Set.of(role)).issuedAt(now - 60).expiresAt(now + expiresInSeconds)
                .sign();
    }
}
