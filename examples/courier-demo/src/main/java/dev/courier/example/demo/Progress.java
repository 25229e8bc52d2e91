package dev.courier.example.demo;

import java.io.PrintStream;

/** Prints what the demo is doing, one line per step, with how long each took. */
final class Progress {

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final PrintStream out;

    Progress(PrintStream out) {
        this.out = out;
    }

    void step(String what, Step step) throws Exception {
        out.printf("[courier-demo] starting %s ...%n", what);
        long started = System.nanoTime();
        step.run();
        out.printf("[courier-demo]   ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    void say(String format, Object... args) {
        out.printf("[courier-demo] " + format + "%n", args);
    }
}
