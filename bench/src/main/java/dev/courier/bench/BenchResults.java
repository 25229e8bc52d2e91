package dev.courier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where benchmarks put what they measured: printed, and written to {@code target/bench-results/}. */
final class BenchResults {

    static final Path DIRECTORY = Path.of("target", "bench-results");

    private BenchResults() {}

    /** Prints {@code report} and writes it to {@code target/bench-results/<fileName>}. */
    static void publish(String fileName, CharSequence report) throws IOException {
        System.out.println();
        System.out.println(report);
        Path out = Files.createDirectories(DIRECTORY).resolve(fileName);
        Files.writeString(out, report);
        System.out.println("Written to " + out.toAbsolutePath());
    }
}
