package dev.courier.rocketmq.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.outbox.Database;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fence row's rules, the same on every database, with real concurrent transactions. */
abstract class FenceContract {

    FenceStore fence;
    ExecutorService pool;

    abstract TestDatabaseExtension db();

    abstract Database database();

    /** Counts sessions of this database waiting for a row lock. */
    abstract String lockWaitersQuery();

    @BeforeEach
    void setUp() {
        new FenceSchema(database(), "courier_tx_fence").migrate(db().dataSource());
        fence = new FenceStore(db().dataSource(), database(), "courier_tx_fence", Duration.ofSeconds(10));
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void aCheckWithoutACommittedTransactionRollsBackForGoodAndALateLocalTransactionFails() throws Exception {
        String tx = UUID.randomUUID().toString();

        assertThat(fence.decide(tx)).isEqualTo(FenceStatus.ROLLED_BACK);
        assertThat(fence.decide(tx)).isEqualTo(FenceStatus.ROLLED_BACK);

        try (Connection late = db().dataSource().getConnection()) {
            late.setAutoCommit(false);
            assertThatThrownBy(() -> fence.markCommitted(late, tx)).isInstanceOf(FenceConflictException.class);
            late.rollback();
        }
        assertThat(fence.find(tx)).isEqualTo(FenceStatus.ROLLED_BACK);
    }

    @Test
    void aCheckAfterTheCommitAnswersCommitted() throws Exception {
        String tx = UUID.randomUUID().toString();
        try (Connection local = db().dataSource().getConnection()) {
            local.setAutoCommit(false);
            fence.markCommitted(local, tx);
            local.commit();
        }
        assertThat(fence.decide(tx)).isEqualTo(FenceStatus.COMMITTED);
    }

    @Test
    void aCheckWaitsForTheRunningLocalTransactionAndFollowsItsOutcome() throws Exception {
        String committing = UUID.randomUUID().toString();
        String rollingBack = UUID.randomUUID().toString();
        for (String tx : new String[] {committing, rollingBack}) {
            try (Connection local = db().dataSource().getConnection()) {
                local.setAutoCommit(false);
                fence.markCommitted(local, tx);

                CompletableFuture<FenceStatus> check = CompletableFuture.supplyAsync(() -> decide(tx), pool);
                await().atMost(Duration.ofSeconds(10)).until(() -> lockWaiters() >= 1);
                assertThat(check).isNotDone();

                if (tx.equals(committing)) {
                    local.commit();
                    assertThat(check.get(10, TimeUnit.SECONDS)).isEqualTo(FenceStatus.COMMITTED);
                } else {
                    local.rollback();
                    assertThat(check.get(10, TimeUnit.SECONDS)).isEqualTo(FenceStatus.ROLLED_BACK);
                }
            }
        }
    }

    @Test
    void aCheckGivesUpAfterTheLockTimeoutWhileTheLocalTransactionStillRuns() throws Exception {
        FenceStore impatient = new FenceStore(db().dataSource(), database(), "courier_tx_fence", Duration.ofSeconds(1));
        String tx = UUID.randomUUID().toString();
        try (Connection local = db().dataSource().getConnection()) {
            local.setAutoCommit(false);
            fence.markCommitted(local, tx);

            assertThatThrownBy(() -> impatient.decide(tx)).isInstanceOf(SQLException.class);

            local.commit();
        }
        assertThat(impatient.decide(tx)).isEqualTo(FenceStatus.COMMITTED);
    }

    @Test
    void retentionDeletesOnlyRowsOlderThanTheCutoff() throws Exception {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        fence.decide(old);
        try (Connection c = db().dataSource().getConnection();
                Statement age = c.createStatement()) {
            age.executeUpdate("UPDATE courier_tx_fence SET created_at = created_at - INTERVAL '10' DAY WHERE tx_id = '"
                    + old + "'");
        }
        fence.decide(recent);

        long deleted = fence.deleteCreatedBefore(Instant.now().minus(Duration.ofDays(7)));

        assertThat(deleted).isEqualTo(1);
        assertThat(fence.find(old)).isNull();
        assertThat(fence.find(recent)).isEqualTo(FenceStatus.ROLLED_BACK);
    }

    private FenceStatus decide(String tx) {
        try {
            return fence.decide(tx);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long lockWaiters() throws SQLException {
        try (Connection c = db().dataSource().getConnection();
                Statement query = c.createStatement();
                ResultSet row = query.executeQuery(lockWaitersQuery())) {
            row.next();
            return row.getLong(1);
        }
    }
}
