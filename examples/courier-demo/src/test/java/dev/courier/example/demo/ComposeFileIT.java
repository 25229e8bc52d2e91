package dev.courier.example.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.localservices.process.JavaProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} is valid Compose (checked by Debian's {@code docker-compose config}, since no Docker
 * engine runs here), has the whole stack with a health check each, and publishes the demo's ports on 127.0.0.1.
 */
class ComposeFileIT {

    private static final Path ROOT = DemoSettings.findRoot(Path.of(""));

    private record Result(int exit, String output) {}

    private static Result compose(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString()));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "docker-compose is needed to validate docker-compose.yml: `./courier test` installs Debian's"
                            + " package, or install it yourself",
                    e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void theComposeFileIsValidAndRunsTheWholeStackOnTheDemosPorts() throws Exception {
        Result quiet = compose("config", "-q");
        assertThat(quiet.exit()).as(quiet.output()).isZero();

        Result services = compose("config", "--services");
        assertThat(services.output().lines().toList())
                .containsExactlyInAnyOrder(
                        "postgres",
                        "kafka",
                        "rocketmq-namesrv",
                        "rocketmq-broker",
                        "demo-receiver",
                        "notifier",
                        "orders-service",
                        "relay");

        String normalized = compose("config").output();
        assertThat(Pattern.compile("^    healthcheck:", Pattern.MULTILINE)
                        .matcher(normalized)
                        .results()
                        .count())
                .as("a health check per service")
                .isEqualTo(8);
        // Published on 127.0.0.1 only (the demo's tokens are public): "- 127.0.0.1:8081:8081/tcp".
        List<Integer> published = new ArrayList<>();
        Matcher port = Pattern.compile("^    - (\\S+):(\\d+):\\d+(/tcp)?$", Pattern.MULTILINE)
                .matcher(normalized);
        while (port.find()) {
            assertThat(port.group(1))
                    .as("the host address of port %s", port.group(2))
                    .isEqualTo("127.0.0.1");
            published.add(Integer.parseInt(port.group(2)));
        }
        DemoSettings demo = DemoSettings.defaults(ROOT);
        DemoSettings.Ports ports = demo.ports();
        assertThat(published)
                .contains(
                        demo.database().port(),
                        ports.kafka(),
                        ports.nameServer(),
                        ports.broker(),
                        ports.relay(),
                        ports.notifier(),
                        ports.orders(),
                        ports.receiver());
        assertThat(normalized).contains("wal_level=logical");
    }

    @Test
    void theBrokerImagesAreThoseOfTheClientVersionsTheBuildUses() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String normalized = compose("config").output();

        assertThat(normalized)
                .contains("image: apache/kafka:" + property(pom, "kafka.version"))
                .contains("image: apache/rocketmq:" + property(pom, "rocketmq.version"));
    }

    /**
     * The images run each service from Spring Boot's layers as a user that is not root, built with a dependency
     * cache; and each service's jar really has the four layers the Dockerfile copies.
     */
    @Test
    void theImagesRunFromLayersAsAUserThatIsNotRoot() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(runtime).contains("\nUSER courier:courier\n").doesNotContain("USER root");
        assertThat(dockerfile).contains("--mount=type=cache,target=/root/.m2").contains("extract --layers");
        List<String> layers = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        for (String layer : layers) {
            assertThat(runtime).contains("COPY --from=build /out/extracted/" + layer + "/ ./");
        }
        Matcher built = Pattern.compile("MODULE: (\\S+), ARTIFACT: ([\\w-]+)")
                .matcher(Files.readString(ROOT.resolve("docker-compose.yml")));
        int services = 0;
        while (built.find()) {
            Path jar = JavaProcess.jarIn(ROOT.resolve(built.group(1)).resolve("target"), built.group(2));
            services++;
            if (!hasSpring(jar)) {
                // The demo receiver: no Spring, so no layer tools; the Dockerfile copies it whole.
                assertThat(dockerfile).contains("cp application.jar extracted/application/");
                continue;
            }
            Process list = new ProcessBuilder(
                            ProcessHandle.current().info().command().orElse("java"),
                            "-Djarmode=tools",
                            "-jar",
                            jar.toString(),
                            "list-layers")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(output.lines().toList()).as(jar.toString()).containsExactlyElementsOf(layers);
        }
        assertThat(services).isEqualTo(4);
    }

    private static boolean hasSpring(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().anyMatch(entry -> entry.getName().startsWith("BOOT-INF/lib/spring-core-"));
        }
    }

    private static String property(String pom, String name) {
        Matcher value =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(value.find()).as(name + " in pom.xml").isTrue();
        return value.group(1);
    }
}
