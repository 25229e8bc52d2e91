package dev.courier.outbox.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.outbox.Database;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OutboxSchemaTest {

    @ParameterizedTest
    @EnumSource(Database.class)
    void listsEveryShippedMigration(Database database) throws IOException, URISyntaxException {
        OutboxSchema schema = new OutboxSchema(database, "courier_outbox", "courier_inbox");
        Path folder = Path.of(
                getClass().getClassLoader().getResource(schema.location()).toURI());
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(file -> file.getFileName().toString()).sorted())
                    .containsExactlyElementsOf(OutboxSchema.MIGRATIONS);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void rendersPlainSqlWithTheConfiguredTableNames(Database database) {
        String sql = new OutboxSchema(database, "shop_outbox", "shop_inbox").sql();

        assertThat(sql)
                .contains("CREATE TABLE shop_outbox (")
                .contains("CREATE TABLE shop_inbox (")
                .contains("shop_outbox_partition_seq")
                .doesNotContain("${");
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void refusesTableNamesThatAreNotPlainIdentifiers(Database database) {
        assertThatThrownBy(() -> new OutboxSchema(database, "x; DROP TABLE y", "inbox"))
                .hasMessageContaining("outboxTable must be a plain SQL identifier");
    }
}
