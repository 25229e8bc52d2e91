package dev.courier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time from Linux's {@code /proc}, in clock ticks (1/100 s): of processes, and of the whole machine. */
final class CpuTime {

    static final double MILLIS_PER_TICK = 10;

    private CpuTime() {}

    /** User and system time a process has used so far. */
    static long ofProcess(Process process) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        // The command name (in parentheses) may hold spaces: the fields after it are counted from its end.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
    }

    static long ofProcesses(List<Process> processes) throws IOException {
        long ticks = 0;
        for (Process process : processes) {
            ticks += ofProcess(process);
        }
        return ticks;
    }

    /** Busy time of all cores so far: everything but idle and I/O wait. */
    static long ofMachine() throws IOException {
        String[] fields =
                Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < fields.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(fields[i]);
            }
        }
        return busy;
    }
}
