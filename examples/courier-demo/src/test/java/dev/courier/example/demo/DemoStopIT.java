package dev.courier.example.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./courier demo stop}: a running demo (a launcher process, as {@code ./courier demo} starts it) ends, and with
 * it every process it started (Kafka and the four services); its pid file is gone.
 */
class DemoStopIT {

    private static final Path ROOT = DemoSettings.findRoot(Path.of(""));
    private static final String DATABASE = "courier_demo_stop_it";

    @Test
    void theStopCommandEndsTheLauncherAndEveryProcessItStarted() throws Exception {
        Path output = Files.createDirectories(ROOT.resolve("target/demo")).resolve(DATABASE + "-launcher.log");
        Process launcher = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CourierDemo.class.getName(),
                        "--orders=2",
                        "--free-ports",
                        "--database=" + DATABASE)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            await("the demo running").atMost(Duration.ofMinutes(4)).until(() -> {
                assertThat(launcher.isAlive())
                        .as("launcher alive; see " + output)
                        .isTrue();
                return Files.readString(output).contains("all running");
            });
            List<ProcessHandle> started = launcher.toHandle().descendants().toList();
            assertThat(started).as("Kafka and the four services").hasSizeGreaterThanOrEqualTo(5);

            Process stop = new ProcessBuilder(
                            "bash", ROOT.resolve("scripts/demo.sh").toString(), "stop", DATABASE)
                    .redirectErrorStream(true)
                    .start();
            assertThat(stop.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(stop.exitValue())
                    .as(new String(stop.getInputStream().readAllBytes()))
                    .isZero();

            assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await("every started process gone")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(ROOT.resolve("target/demo/" + DATABASE + ".pid")).doesNotExist();
            assertThat(Files.readString(output)).contains("stopping ...");
        } finally {
            kill(launcher);
        }
    }

    private static void kill(Process launcher) throws IOException {
        if (launcher.isAlive()) {
            launcher.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }
}
