package dev.ragline.ingest.source.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.ScriptedResolver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The database_query host policy as a tenant admin meets it. The tests' profile allow-lists only the local
 * PostgreSQL, 127.0.0.1:5432; every other address here is in the loopback range too, and refused.
 */
@QuarkusTest
class DatabaseHostPolicyTest {

    private static final String TYPE = "https://ragline.dev/problems/database-host-refused";
    private static final String DB = System.getenv().getOrDefault("RAGLINE_TEST_DB", "ragline_test");

    private static Map<String, Object> job(String jdbcUrl) {
        Map<String, Object> job = new HashMap<>();
        job.put("source", "database_query");
        job.put("jdbc_url", jdbcUrl);
        job.put("username", "postgres");
        job.put("query", "SELECT 1 AS id, 'tea' AS body");
        job.put("id_column", "id");
        job.put("text_columns", List.of("body"));
        return job;
    }

    @Test
    void the_redis_port_of_an_allow_listed_host_is_refused_with_the_policy_named() {
        Rake.forNewTenant("dbpolicy-redis").request().contentType(ContentType.JSON)
                .body(job("jdbc:postgresql://127.0.0.1:6379/x")).post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("type", org.hamcrest.Matchers.is(TYPE))
                .body("detail", containsString("127.0.0.1:6379")).body("detail", containsString("RAKE_DATABASE_ALLOWED_HOSTS"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "jdbc:postgresql://127.0.0.2:5432/x", "jdbc:postgresql://127.0.0.2/x",
            "jdbc:postgresql://[::1]:5432/x", "jdbc:postgresql://[::ffff:127.0.0.2]:5432/x",
            "jdbc:postgresql:///x", "jdbc:postgresql://:5432/x",
            // one host vetted, another reached: several hosts, or parameters the driver lets override the host
            "jdbc:postgresql://127.0.0.1:5432,127.0.0.2:5432/x", "jdbc:postgresql://127.0.0.1:5432/x?PGHOST=127.0.0.2",
            "jdbc:postgresql://127.0.0.1:5432/x?PGPORT=6379", "jdbc:postgresql://127.0.0.1:5432/x?host=127.0.0.2",
            // parameters that swap the transport (unix sockets come in through a socket factory) or read server files
            "jdbc:postgresql://127.0.0.1:5432/x?socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg"
                    + "&socketFactoryArg=/var/run/postgresql/.s.PGSQL.5432",
            "jdbc:postgresql://127.0.0.1:5432/x?localSocketAddress=127.0.0.2",
            "jdbc:postgresql://127.0.0.1:5432/x?service=other", "jdbc:postgresql://127.0.0.1:5432/x?sslfactory=x.Y",
            "jdbc:postgresql://127.0.0.1:5432/x?sslrootcert=/etc/shadow",
            "jdbc:postgresql://127.0.0.1:5432/x?loggerFile=/tmp/x" })
    void internal_hosts_and_ways_around_the_check_are_refused_before_any_connection(String jdbcUrl) {
        Rake.forNewTenant("dbpolicy").request().contentType(ContentType.JSON).body(job(jdbcUrl)).post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("type", org.hamcrest.Matchers.is(TYPE))
                .body("detail", org.hamcrest.Matchers.anyOf(containsString("jdbc_url"), containsString("may not connect")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "jdbc:mysql://127.0.0.2:3306/x", "jdbc:pgsql://127.0.0.2/x", "jdbc:h2:tcp://127.0.0.2/x",
            "jdbc:postgresql:x" })
    void other_drivers_url_forms_are_refused(String jdbcUrl) {
        Rake.forNewTenant("dbpolicy-driver").request().contentType(ContentType.JSON).body(job(jdbcUrl))
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("jdbc_url"));
    }

    @Test
    void a_name_resolving_to_the_allow_listed_address_connects_to_that_address_not_to_a_second_lookup() {
        // No real resolver knows this name: the driver's own lookup fails, so only the pinned address can work.
        ScriptedResolver.install().answer("pg.ragline.test", "127.0.0.1");
        Rake rake = Rake.forNewTenant("dbpolicy-pinned");

        JsonPath job = rake.awaitCompleted(rake.submit(job("jdbc:postgresql://pg.ragline.test:5432/" + DB)));

        assertThat(job.getInt("progress.documents_done")).isEqualTo(1);
    }

    @Test
    void a_name_that_turns_internal_after_submission_fails_the_job_with_the_policy_message() {
        ScriptedResolver resolver = ScriptedResolver.install().answer("rebind.ragline.test", "127.0.0.1", "127.0.0.9");
        Rake rake = Rake.forNewTenant("dbpolicy-rebind");

        JsonPath job = rake.awaitFinished(rake.submit(job("jdbc:postgresql://rebind.ragline.test:5432/" + DB)));

        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("127.0.0.9").contains("RAKE_DATABASE_ALLOWED_HOSTS");
        assertThat(resolver.lookups("rebind.ragline.test")).isEqualTo(2);
    }
}
