package dev.courier.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time that runs of one cell cost, per 1,000 items: of one process (the service under test; none for a limit
 * measured in the benchmark's own JVM) and of the whole machine.
 */
final class DrainCpu {

    private final List<Double> processPerThousand = new ArrayList<>();
    private final List<Double> machinePerThousand = new ArrayList<>();

    /** The CPU counters at the start of a run. */
    record Start(long process, long machine) {}

    /** Notes where the counters stand as a run starts. */
    Start start(Process process) throws IOException {
        return new Start(process == null ? 0 : CpuTime.ofProcess(process), CpuTime.ofMachine());
    }

    /** Notes what the run that began at {@code start} cost, having handled {@code items}. */
    void end(Process process, Start start, double items) throws IOException {
        add(
                process == null ? -1 : CpuTime.ofProcess(process) - start.process(),
                CpuTime.ofMachine() - start.machine(),
                items);
    }

    /** Notes a run that cost {@code processTicks} (negative: not measured) and {@code machineTicks} for {@code items}. */
    void add(long processTicks, long machineTicks, double items) {
        double thousands = items / 1000.0;
        if (processTicks >= 0) {
            processPerThousand.add(processTicks * CpuTime.MILLIS_PER_TICK / thousands);
        }
        machinePerThousand.add(machineTicks * CpuTime.MILLIS_PER_TICK / thousands);
    }

    /** The process's CPU per 1,000 items, median (lowest–highest), or "–" when none was measured. */
    String process() {
        return processPerThousand.isEmpty()
                ? "–"
                : Spread.of(processPerThousand).format("%.0f");
    }

    /** The machine's CPU per 1,000 items, median (lowest–highest). */
    String machine() {
        return Spread.of(machinePerThousand).format("%.0f");
    }
}
