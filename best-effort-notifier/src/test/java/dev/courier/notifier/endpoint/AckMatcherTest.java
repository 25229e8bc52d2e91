package dev.courier.notifier.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AckMatcherTest {

    @Test
    void anyTwoHundredAcknowledgesWhateverTheBody() {
        assertThat(AckMatcher.ANY_2XX.acknowledges(200, "")).isTrue();
        assertThat(AckMatcher.ANY_2XX.acknowledges(204, "garbage")).isTrue();
        assertThat(AckMatcher.ANY_2XX.acknowledges(302, "")).isFalse();
        assertThat(AckMatcher.ANY_2XX.acknowledges(500, "success")).isFalse();
    }

    @Test
    void bodySuccessWantsTheWordSuccessAlone() {
        assertThat(AckMatcher.BODY_SUCCESS.acknowledges(200, "success")).isTrue();
        assertThat(AckMatcher.BODY_SUCCESS.acknowledges(200, " SUCCESS\n")).isTrue();
        assertThat(AckMatcher.BODY_SUCCESS.acknowledges(200, "fail")).isFalse();
        assertThat(AckMatcher.BODY_SUCCESS.acknowledges(200, "success, mostly")).isFalse();
        assertThat(AckMatcher.BODY_SUCCESS.acknowledges(500, "success")).isFalse();
    }

    @Test
    void jsonCodeSuccessWantsTheCodeFieldSuccess() {
        assertThat(AckMatcher.JSON_CODE_SUCCESS.acknowledges(200, "{\"code\":\"SUCCESS\",\"message\":\"OK\"}"))
                .isTrue();
        assertThat(AckMatcher.JSON_CODE_SUCCESS.acknowledges(200, "{\"code\":\"FAIL\"}"))
                .isFalse();
        assertThat(AckMatcher.JSON_CODE_SUCCESS.acknowledges(200, "{\"code\":0}"))
                .isFalse();
        assertThat(AckMatcher.JSON_CODE_SUCCESS.acknowledges(200, "<xml>SUCCESS</xml>"))
                .isFalse();
        assertThat(AckMatcher.JSON_CODE_SUCCESS.acknowledges(200, "")).isFalse();
    }

    @Test
    void parsesItsSpecsAndRefusesOthers() {
        assertThat(AckMatcher.parse("Body-Success")).isEqualTo(AckMatcher.BODY_SUCCESS);
        assertThat(AckMatcher.parse("json-code-success")).isEqualTo(AckMatcher.JSON_CODE_SUCCESS);
        assertThatThrownBy(() -> AckMatcher.parse("2xx"))
                .hasMessageContaining("any-2xx, body-success or json-code-success");
    }
}
