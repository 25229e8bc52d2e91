package dev.courier.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class LoopHealthTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LoopHealth loop = new LoopHealth("courier.test.loop", "renewals", registry);

    private double up() {
        return registry.get("courier.test.loop.up")
                .tag("loop", "renewals")
                .gauge()
                .value();
    }

    private double failures() {
        return registry.get("courier.test.loop.failures")
                .tag("loop", "renewals")
                .counter()
                .count();
    }

    @Test
    void aGuardedRoundSurvivesExceptionsAndErrorsReportsThemAndRecovers() {
        Queue<Throwable> faults = new ArrayDeque<>(
                List.of(new IllegalStateException("bug"), new NoClassDefFoundError("gone"), new StackOverflowError()));
        AtomicInteger rounds = new AtomicInteger();
        Runnable round = loop.guard(() -> {
            rounds.incrementAndGet();
            Throwable fault = faults.poll();
            if (fault instanceof Error error) {
                throw error;
            }
            if (fault != null) {
                throw (RuntimeException) fault;
            }
        });
        assertThat(loop.isUp()).isTrue();

        round.run();
        assertThat(loop.isUp()).isFalse();
        assertThat(up()).isZero();
        assertThat(loop.details())
                .containsEntry("lastError", "IllegalStateException: bug")
                .containsKey("failingSince");
        round.run();
        round.run();
        assertThat(loop.details()).containsEntry("lastError", "StackOverflowError: null");
        assertThat(failures()).isEqualTo(3);
        assertThat(new LoopHealthIndicator(loop).health().getStatus()).isEqualTo(Status.DOWN);

        round.run();
        assertThat(rounds).hasValue(4);
        assertThat(loop.isUp()).isTrue();
        assertThat(up()).isOne();
        assertThat(loop.details()).doesNotContainKey("failingSince");
        assertThat(new LoopHealthIndicator(loop).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aScheduledGuardedRoundGoesOnRunningAfterAnError() throws InterruptedException {
        // An executor runs a task that threw never again; the guard keeps the schedule alive.
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger rounds = new AtomicInteger();
        try {
            scheduler.scheduleWithFixedDelay(
                    loop.guard(() -> {
                        if (rounds.incrementAndGet() < 3) {
                            throw new AssertionError("broken invariant");
                        }
                    }),
                    0,
                    1,
                    TimeUnit.MILLISECONDS);
            await().untilAsserted(() -> {
                assertThat(rounds.get()).isGreaterThan(3);
                assertThat(loop.isUp()).isTrue();
            });
            assertThat(failures()).isEqualTo(2);
        } finally {
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anInterruptedRoundIsNoFailureAndKeepsTheInterrupt() {
        Runnable round = loop.guard(() -> {
            throw new InterruptedException();
        });
        try {
            round.run();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(loop.isUp()).isTrue();
            assertThat(failures()).isZero();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aStoppedLoopIsNeverUpAndSeveralLoopsAreDownWhenOneIs() {
        LoopHealth other = new LoopHealth("courier.test.loop", "backlog", registry);
        other.started();
        loop.started();
        assertThat(new LoopHealthIndicator(List.of(loop, other)).health().getStatus())
                .isEqualTo(Status.UP);

        other.stopped();

        assertThat(other.isUp()).isFalse();
        var health = new LoopHealthIndicator(List.of(loop, other)).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKeys("renewals", "backlog");
    }

    @Test
    void aLoopNotYetStartedIsNotUp() {
        assertThat(loop.isUp()).isFalse();
        assertThat(up()).isZero();
    }
}
