package dev.ragline.api.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkus.test.junit.QuarkusTest;

/** contracts/openapi.yaml is the published contract: the served document must not drift from it. */
@QuarkusTest
class OpenApiContractTest {

    private static final Path PUBLISHED = Path.of("../contracts/openapi.yaml");
    private static final Path SERVED_COPY = Path.of("target/openapi-served.yaml");

    @Test
    void the_served_openapi_document_matches_the_published_contract() throws Exception {
        String served = given().queryParam("format", "yaml").get("/q/openapi").then().statusCode(200).extract().asString();
        Files.writeString(SERVED_COPY, served);

        JsonNode servedTree = new YAMLMapper().readTree(served);
        JsonNode publishedTree = new YAMLMapper().readTree(Files.readString(PUBLISHED));
        assertThat(servedTree)
                .as("the API changed: review %s and copy it to contracts/openapi.yaml if the change is intended",
                        SERVED_COPY.toAbsolutePath())
                .isEqualTo(publishedTree);
        assertThat(new ObjectMapper().writeValueAsString(servedTree)).contains("/v1/orders");
    }
}
