package dev.courier.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.testsupport.hostile.HostileValues;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever bytes a record's id header carries, the inbox gets either exactly the id they spell or a
 * {@link MissingMessageIdException} naming the record, never another failure.
 */
class KafkaInboxMessageIdTest {

    static final KafkaInbox INBOX = new KafkaInbox(new UnusedInbox(), "payments");

    static Stream<Long> seeds() {
        return HostileValues.seeds(Integer.getInteger("courier.test.samples", 500));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyHeaderBytesGiveTheIdTheySpellOrAMissingIdFailure(long seed) {
        Random random = new Random(seed);
        byte[] value = random.nextBoolean()
                ? HostileValues.text(random).getBytes(StandardCharsets.UTF_8)
                : randomBytes(random);
        ConsumerRecord<byte[], byte[]> record = record(value);

        String expected = validId(value);
        if (expected == null) {
            assertThatThrownBy(() -> INBOX.messageId(record))
                    .isInstanceOf(MissingMessageIdException.class)
                    .hasMessageContaining("payments-3@42");
        } else {
            assertThat(INBOX.messageId(record)).isEqualTo(expected);
        }
    }

    @Test
    void aRecordWithoutTheHeaderOrWithAnEmptyOneHasNoId() {
        ConsumerRecord<byte[], byte[]> none = new ConsumerRecord<>("payments", 3, 42L, null, null);
        assertThatThrownBy(() -> INBOX.messageId(none))
                .isInstanceOf(MissingMessageIdException.class)
                .hasMessageContaining("has no 'id' header");
        assertThatThrownBy(() -> INBOX.messageId(record(new byte[0]))).isInstanceOf(MissingMessageIdException.class);
        assertThatThrownBy(() -> INBOX.messageId(record(null))).isInstanceOf(MissingMessageIdException.class);
    }

    @Test
    void theLastHeaderOfTheNameCounts() {
        ConsumerRecord<byte[], byte[]> record = record("first".getBytes(StandardCharsets.UTF_8));
        record.headers().add("id", "second".getBytes(StandardCharsets.UTF_8));

        assertThat(INBOX.messageId(record)).isEqualTo("second");
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] id) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("payments", 3, 42L, null, null);
        record.headers().add("id", id);
        return record;
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The oracle: strict UTF-8, 1 to 255 characters, not blank, no NUL. */
    private static String validId(byte[] value) {
        try {
            String id = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(value))
                    .toString();
            return id.isBlank() || id.length() > 255 || id.contains("\0") ? null : id;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
