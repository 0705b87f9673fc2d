package dev.ragline.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * What PostgreSQL restarting looks like to api-service (the fault drill's postgres-restart: deploy/load/fault-drills.sh
 * saw these on POST /v1/orders), each answered 503 database-unavailable with Retry-After instead of 500 internal.
 */
class DatabaseUnavailableTest {

    @Test
    void a_request_that_loses_its_connection_while_the_database_restarts_is_a_retryable_outage() {
        assertThat(PgErrors.isUnavailable(ClosedConnectionException.INSTANCE)).isTrue();
    }

    @Test
    void a_request_that_reaches_a_database_shutting_down_is_a_retryable_outage() {
        assertThat(PgErrors.isUnavailable(new PgException("the database system is shutting down", "FATAL", "57P03", null)))
                .isTrue();
    }

    @Test
    void a_request_whose_connection_is_refused_while_the_database_is_down_is_a_retryable_outage() {
        assertThat(PgErrors.isUnavailable(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
    }

    @Test
    void a_constraint_violation_is_not_an_outage() {
        assertThat(PgErrors.isUnavailable(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
        assertThat(PgErrors.isUnavailable(new IllegalStateException("a bug"))).isFalse();
    }
}
