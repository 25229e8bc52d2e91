package dev.courier.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testsupport.database.TestDatabaseExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's project outside this build, with a company parent of its own (not Spring Boot's), that depends on
 * Courier's BOM and outbox starter alone (and its JDBC driver): built against the artifacts installed in the local
 * repository, started on a fresh PostgreSQL database, it migrates the outbox schema, and a {@code @Transactional}
 * method writes its order row and the outbox message together.
 */
class PostgresConsumerProjectIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Map<String, String> VERSIONS = Map.of(
            "courier.version", System.getProperty("courier.version"),
            "consumer.postgresql.version", System.getProperty("consumer.postgresql.version"),
            "consumer.compiler.version", System.getProperty("consumer.compiler.version"),
            "consumer.resources.version", System.getProperty("consumer.resources.version"),
            "consumer.dependency.version", System.getProperty("consumer.dependency.version"));

    @TempDir
    Path work;

    @Test
    void aProjectWithItsOwnParentGetsAWorkingOutboxFromTheBomAndTheStarterAlone() throws Exception {
        // What a release would publish: the BOM, the starter and what they depend on, into the local repository.
        run(
                ROOT,
                Duration.ofMinutes(10),
                mvnw(),
                "-B",
                "-q",
                "install",
                "-DskipTests",
                "-Dspotless.check.skip=true",
                "-Dmaven.javadoc.skip=true",
                "-pl",
                "courier-bom,starters/courier-outbox-spring-boot-starter",
                "-am");
        copyProject(Path.of(getClass().getResource("/consumer").toURI()), work);
        Path shop = work.resolve("shop");
        run(
                shop,
                Duration.ofMinutes(10),
                mvnw(),
                "-B",
                "-q",
                "compile",
                "dependency:build-classpath",
                "-Dmdep.outputFile=classpath.txt");
        String classpath = shop.resolve("target/classes")
                + File.pathSeparator
                + Files.readString(shop.resolve("classpath.txt")).strip();

        String output = run(
                shop,
                Duration.ofMinutes(2),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                "com.example.shop.ShopApplication",
                "--spring.datasource.url=" + DB.database().jdbcUrl(),
                "--spring.datasource.username=" + DB.database().user(),
                "--spring.datasource.password=" + DB.database().password());

        assertThat(output).contains("SHOP orders=1 messages=1 migrations=1");
        assertThat(Files.readString(shop.resolve("classpath.txt")))
                .as("the starter brought the library, JDBC and Flyway with its database module")
                .contains("outbox-lib-" + VERSIONS.get("courier.version"))
                .contains("spring-jdbc-")
                .contains("flyway-core-")
                .contains("flyway-database-postgresql-");
    }

    private static String mvnw() {
        return ROOT.resolve("mvnw").toString();
    }

    /** Copies the project template, filling in the versions this build uses. */
    private static void copyProject(Path template, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(template)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                for (Map.Entry<String, String> version : VERSIONS.entrySet()) {
                    text = text.replace("@" + version.getKey() + "@", version.getValue());
                }
                Path copy = target.resolve(template.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.writeString(copy, text);
            }
        }
    }

    /** Runs a command in {@code directory} with this JVM as JAVA_HOME; its output, or a failure showing it. */
    private static String run(Path directory, Duration timeout, String... command) throws Exception {
        Path log = Files.createTempFile("consumer-project", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command)))
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(process.exitValue())
                    .as("%s failed:%n%s", String.join(" ", command), output)
                    .isZero();
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
