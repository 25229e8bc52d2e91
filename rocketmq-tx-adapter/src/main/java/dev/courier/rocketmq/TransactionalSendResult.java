package dev.courier.rocketmq;

/**
 * The result of {@link TransactionalSender#send}.
 *
 * @param messageId the broker's id of the message
 * @param transactionId Courier's id of the transaction: the fence row's key and the {@value
 *     TransactionalSender#TRANSACTION_ID_PROPERTY} property of the message
 * @param value what the local transaction returned; null unless {@link TransactionOutcome#COMMITTED}
 */
public record TransactionalSendResult<T>(TransactionOutcome outcome, String messageId, String transactionId, T value) {}
