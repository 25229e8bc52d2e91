package dev.courier.rocketmq.consumer;

import java.sql.Connection;
import org.apache.rocketmq.common.message.MessageExt;

/** A consumer's work on one message, run in the transaction that records the message's id in the inbox. */
@FunctionalInterface
public interface MessageWork {

    /**
     * @param connection the inbox transaction's connection; Spring users may use their repositories instead, which
     *     join the same transaction
     */
    void process(MessageExt message, Connection connection) throws Exception;
}
