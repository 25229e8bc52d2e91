package dev.courier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where benchmarks put what they measured: printed, and written to {@code target/bench-results/}. */
final class BenchResults {

    static final Path DIRECTORY = Path.of("target", "bench-results");

    private BenchResults() {}

    /** "10 s per cell in 4 alternating rounds; 2 cores; JDK 25." */
    static String cellsAndMachine(Duration cell, int rounds) {
        return cell.toSeconds() + " s per cell in " + rounds + " alternating rounds; "
                + Runtime.getRuntime().availableProcessors() + " cores; JDK "
                + Runtime.version().feature() + ".";
    }

    /** Prints {@code report} and writes it to {@code target/bench-results/<fileName>}. */
    static void publish(String fileName, CharSequence report) throws IOException {
        System.out.println();
        System.out.println(report);
        Path out = Files.createDirectories(DIRECTORY).resolve(fileName);
        Files.writeString(out, report);
        System.out.println("Written to " + out.toAbsolutePath());
    }
}
