package dev.courier.relay.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class BatchCompletionTest {

    @Test
    void completesBatchesOneAtATimeInHandOverOrderWhileTheCallerGoesOn() throws InterruptedException {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        try (BatchCompletion completion = new BatchCompletion()) {
            completion.next(() -> {
                log.add(firstMayFinish.await(10, TimeUnit.SECONDS) ? "first done" : "first gave up waiting");
            });
            log.add("caller sends the next batch"); // not held up by the first completion
            firstMayFinish.countDown();
            completion.next(() -> log.add("second"));
            completion.settle();
        }

        // Completing synchronously would keep the caller waiting until the first completion gave up.
        assertThat(log).containsExactly("caller sends the next batch", "first done", "second");
    }

    @Test
    void aFailedCompletionIsReportedWhenTheNextBatchIsHandedIn() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        try (BatchCompletion completion = new BatchCompletion()) {
            completion.next(() -> {
                throw new IllegalStateException("offset store unavailable");
            });

            assertThatThrownBy(() -> completion.next(() -> ran.add("second")))
                    .isInstanceOf(ConnectException.class)
                    .hasRootCauseMessage("offset store unavailable");
            assertThat(ran).isEmpty();
        }
    }

    @Test
    void settlingDropsAFailureSoThatANewEngineCanStart() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        try (BatchCompletion completion = new BatchCompletion()) {
            completion.next(() -> {
                throw new IllegalStateException("engine stopped under it");
            });
            completion.settle();

            completion.next(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
