package dev.ragline.ingest.source.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlyQueryTest {

    @ParameterizedTest
    @ValueSource(strings = { "SELECT * FROM articles", "select id, 'delete; drop' AS note FROM articles;",
            "WITH recent AS (SELECT * FROM articles) SELECT * FROM recent",
            "SELECT id /* UPDATE */ FROM articles -- ; DELETE\n", "SELECT $$; insert$$ AS body",
            "SELECT \"insert\" FROM \"odd;table\"" })
    void a_single_read_only_select_is_accepted(String query) {
        assertThat(ReadOnlyQuery.refusal(query)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "DELETE FROM articles", "UPDATE articles SET title = 'x'", "DROP TABLE articles",
            "CREATE TABLE t (id int)", "SELECT 1; SELECT 2", "SELECT 1; DELETE FROM articles",
            "WITH gone AS (DELETE FROM articles RETURNING *) SELECT * FROM gone", "SELECT * INTO copy FROM articles",
            "SELECT * FROM articles FOR UPDATE", "SELECT nextval('seq')", "   ", "-- only a comment",
            "TRUNCATE articles", "COPY articles TO '/tmp/x'" })
    void anything_else_is_refused(String query) {
        assertThat(ReadOnlyQuery.refusal(query)).isPresent().get().asString().startsWith("query");
    }
}
