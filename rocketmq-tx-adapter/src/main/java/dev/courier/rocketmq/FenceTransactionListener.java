package dev.courier.rocketmq;

import dev.courier.rocketmq.fence.FenceStatus;
import dev.courier.rocketmq.fence.FenceStore;
import java.sql.SQLException;
import org.apache.rocketmq.client.producer.LocalTransactionState;
import org.apache.rocketmq.client.producer.TransactionListener;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocketMQ's callbacks: runs the local transaction of a half message, and answers the broker's check-backs from the
 * fence row, definitely, whichever producer of the group the broker asks.
 */
final class FenceTransactionListener implements TransactionListener {

    private static final Logger log = LoggerFactory.getLogger(FenceTransactionListener.class);

    private final LocalTransactions local;
    private final FenceStore fence;
    private final TransactionMetrics metrics;

    FenceTransactionListener(LocalTransactions local, FenceStore fence, TransactionMetrics metrics) {
        this.local = local;
        this.fence = fence;
        this.metrics = metrics;
    }

    /** What one send hands to the listener, and gets back from it. */
    static final class PendingSend<T> {
        final String transactionId;
        final LocalTransaction<T> work;
        volatile LocalOutcome<T> outcome;

        PendingSend(String transactionId, LocalTransaction<T> work) {
            this.transactionId = transactionId;
            this.work = work;
        }
    }

    @Override
    public LocalTransactionState executeLocalTransaction(Message message, Object argument) {
        PendingSend<?> pending = (PendingSend<?>) argument;
        return execute(pending);
    }

    private <T> LocalTransactionState execute(PendingSend<T> pending) {
        long started = System.nanoTime();
        LocalOutcome<T> outcome = local.run(pending.transactionId, pending.work);
        pending.outcome = outcome;
        return switch (outcome) {
            case LocalOutcome.Committed<T> committed -> {
                metrics.localTransaction(System.nanoTime() - started, TransactionOutcome.COMMITTED);
                yield LocalTransactionState.COMMIT_MESSAGE;
            }
            case LocalOutcome.RolledBack<T> rolledBack -> {
                metrics.localTransaction(System.nanoTime() - started, TransactionOutcome.ROLLED_BACK);
                yield LocalTransactionState.ROLLBACK_MESSAGE;
            }
            case LocalOutcome.Unknown<T> unknown -> {
                metrics.localTransaction(System.nanoTime() - started, TransactionOutcome.UNKNOWN);
                log.warn(
                        "Commit of local transaction {} ended without an answer ({}); the broker's check-back will"
                                + " decide from the fence row",
                        pending.transactionId,
                        unknown.cause().toString());
                yield LocalTransactionState.UNKNOW;
            }
        };
    }

    @Override
    public LocalTransactionState checkLocalTransaction(MessageExt message) {
        String transactionId = message.getUserProperty(TransactionalSender.TRANSACTION_ID_PROPERTY);
        if (transactionId == null) {
            log.warn(
                    "Check-back for message {} on {} without a Courier transaction id: not sent by a Courier sender of"
                            + " this group; answering UNKNOW",
                    message.getMsgId(),
                    message.getTopic());
            metrics.checked("unknown");
            return LocalTransactionState.UNKNOW;
        }
        try {
            FenceStatus status = fence.decide(transactionId);
            log.info("Check-back for transaction {} ({}): {}", transactionId, message.getTopic(), status);
            if (status == FenceStatus.COMMITTED) {
                metrics.checked("commit");
                return LocalTransactionState.COMMIT_MESSAGE;
            }
            metrics.checked("rollback");
            return LocalTransactionState.ROLLBACK_MESSAGE;
        } catch (SQLException | RuntimeException e) {
            // The database is unreachable, or the local transaction still runs after the lock timeout: ask again.
            log.warn("Check-back for transaction {} answered UNKNOW: {}", transactionId, e.toString());
            metrics.checked("unknown");
            return LocalTransactionState.UNKNOW;
        }
    }
}
