package dev.courier.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A receiver's answer as the notifier keeps it: its first bytes up to a limit, whatever length it declares and however
 * its bytes arrive, without a large buffer for a small answer.
 */
class ResponseBodyTest {

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                        Arbitraries.integers().between(0, 300),
                        Arbitraries.integers().between(0, 5_000),
                        Arbitraries.integers().between(60_000, 70_000))
                .flatMap(length -> Arbitraries.bytes().array(byte[].class).ofSize(length));
    }

    /** The declared length: right, unknown (chunked), or wrong either way. */
    @Provide
    Arbitrary<Integer> declaredShifts() {
        return Arbitraries.oneOf(
                Arbitraries.just(0),
                Arbitraries.just(Integer.MIN_VALUE),
                Arbitraries.integers().between(-400, 400));
    }

    @Property(tries = 400)
    void keepsTheFirstBytesUpToTheLimit(
            @ForAll("bodies") byte[] body,
            @ForAll("declaredShifts") int shift,
            @ForAll @IntRange(min = 1, max = 700) int chunk,
            @ForAll @IntRange(min = 1, max = 66_000) int limit)
            throws IOException {
        long declared = shift == Integer.MIN_VALUE ? -1 : Math.max(0, body.length + shift);

        String read = DeliveryClient.readLimited(new Trickle(body, chunk), declared, limit);

        byte[] expected = Arrays.copyOf(body, Math.min(body.length, limit));
        assertThat(read).isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }

    @Example
    void aDeclaredLengthFarBeyondTheLimitIsReadUpToTheLimit() throws IOException {
        byte[] body = new byte[DeliveryClient.MAX_BODY_BYTES + 10];
        body[0] = 'a';

        for (long declared : new long[] {Long.MAX_VALUE, Integer.MAX_VALUE, (long) Integer.MAX_VALUE + 1}) {
            String read = DeliveryClient.readLimited(new Trickle(body, 999), declared, DeliveryClient.MAX_BODY_BYTES);

            assertThat(read).hasSize(DeliveryClient.MAX_BODY_BYTES).startsWith("a");
        }
    }

    @Example
    void stopsReadingAtTheLimit() throws IOException {
        Trickle endless = new Trickle(new byte[1_000_000], 4_096);

        DeliveryClient.readLimited(endless, -1, DeliveryClient.MAX_BODY_BYTES);

        assertThat(endless.consumed()).isEqualTo(DeliveryClient.MAX_BODY_BYTES);
    }

    @Example
    void aShortAnswerNeedsNoLargeBuffer() throws IOException {
        byte[] ok = "OK".getBytes(StandardCharsets.UTF_8);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 1_000; i++) { // compiled, as in a running notifier
            DeliveryClient.readLimited(new ByteArrayInputStream(ok), -1, DeliveryClient.MAX_BODY_BYTES);
            DeliveryClient.readLimited(new ByteArrayInputStream(ok), ok.length, DeliveryClient.MAX_BODY_BYTES);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 2_000; i++) {
            DeliveryClient.readLimited(new ByteArrayInputStream(ok), -1, DeliveryClient.MAX_BODY_BYTES);
            DeliveryClient.readLimited(new ByteArrayInputStream(ok), ok.length, DeliveryClient.MAX_BODY_BYTES);
        }
        long perAnswer = (threads.getCurrentThreadAllocatedBytes() - before) / 4_000;

        // readNBytes(limit) took 16 KB for each; the stream, the buffer and the string are a few hundred bytes
        assertThat(perAnswer).isLessThan(1_024);
    }

    /** Hands out at most {@code chunk} bytes per read, as a socket does. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final int chunk;
        private int position;

        Trickle(byte[] bytes, int chunk) {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        int consumed() {
            return position;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, chunk), bytes.length - position);
            System.arraycopy(bytes, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
