package dev.courier.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kit runs where merchants run it, on Java 11 and later: its classes are compiled with {@code --release 11},
 * which also refuses any API newer than Java 11 at compile time. Class file version 55 is Java 11.
 */
class JavaElevenTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                WebhookVerifier.class,
                WebhookSignature.class,
                AsymmetricSignature.class,
                WebhookVerificationException.class
            })
    void isCompiledForJavaEleven(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class");
                DataInputStream data = new DataInputStream(in)) {
            assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
            data.readUnsignedShort(); // minor version
            assertThat(data.readUnsignedShort()).as("class file major version").isEqualTo(55);
        }
    }
}
