package dev.ragline.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class SecretParamsTest {

    @Test
    void credentials_are_masked_at_any_depth_and_the_rest_is_kept() throws Exception {
        ObjectNode params = (ObjectNode) new ObjectMapper().readTree("""
                {"url": "https://api.example.com/items", "password": "hunter2",
                 "headers": {"Authorization": "Bearer abc", "X-Api-Key": "k-123", "Accept": "application/json"},
                 "sources": [{"access_token": "t-1", "name": "crm"}]}""");

        ObjectNode masked = SecretParams.masked(params);

        assertThat(masked.toString()).doesNotContain("hunter2", "Bearer abc", "k-123", "t-1")
                .contains("https://api.example.com/items", "application/json", "crm");
        assertThat(masked.path("headers").path("Authorization").asText()).isEqualTo(SecretParams.MASK);
        assertThat(params.path("password").asText()).isEqualTo("hunter2");
    }
}
