package dev.ragline.ingest.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** A client of the Rake API for one tenant, as a user with a staff token would use it. */
public class Rake {

    private final String token;

    public Rake(String token) {
        this.token = token;
    }

    public static Rake forNewTenant(String name) {
        return new Rake(Tokens.staffOf(Tokens.newTenant(name)));
    }

    public RequestSpecification request() {
        return given().auth().oauth2(token);
    }

    public String submit(Map<String, Object> body) {
        return request().contentType(ContentType.JSON).body(body).post("/api/v1/jobs")
                .then().statusCode(202).extract().path("job_id");
    }

    public String uploadText(String filename, String content) {
        return submit(Map.of("source", "file_upload", "files", List.of(Map.of("filename", filename, "content", content))));
    }

    public JsonPath job(String jobId) {
        return request().get("/api/v1/jobs/" + jobId).then().statusCode(200).extract().jsonPath();
    }

    public JsonPath awaitFinished(String jobId) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> List.of("COMPLETED", "FAILED", "CANCELLED").contains(job(jobId).getString("status")));
        return job(jobId);
    }

    public JsonPath awaitCompleted(String jobId) {
        JsonPath job = awaitFinished(jobId);
        if (!"COMPLETED".equals(job.getString("status"))) {
            throw new AssertionError("job " + jobId + " ended " + job.getString("status") + ": " + job.prettify());
        }
        return job;
    }

    public JsonPath documents() {
        return request().get("/api/v1/documents?size=100").then().statusCode(200).extract().jsonPath();
    }

    public JsonPath search(String query, String mode) {
        return request().contentType(ContentType.JSON).body(Map.of("query", query, "top_k", 5, "mode", mode))
                .post("/api/v1/search").then().statusCode(200).extract().jsonPath();
    }
}
