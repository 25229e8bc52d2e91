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
                .hasMessageContaining("any-2xx, body-success, exact-body-success, json-code-success, status-200-204,"
                        + " xml-return-code-success or json-result-success");
    }

    @Test
    void status200Or204AcknowledgesWithoutABodyAsWeChatPayV3Asks() {
        assertThat(AckMatcher.STATUS_200_204.acknowledges(200, "")).isTrue();
        assertThat(AckMatcher.STATUS_200_204.acknowledges(204, "")).isTrue();
        assertThat(AckMatcher.STATUS_200_204.acknowledges(201, "{\"code\":\"SUCCESS\"}"))
                .isFalse();
        assertThat(AckMatcher.STATUS_200_204.acknowledges(500, "")).isFalse();
    }

    @Test
    void xmlReturnCodeSuccessReadsWeChatPayV2AnswersWithoutAnXmlParser() {
        AckMatcher v2 = AckMatcher.XML_RETURN_CODE_SUCCESS;

        assertThat(v2.acknowledges(
                        200,
                        "<xml><return_code><![CDATA[SUCCESS]]></return_code>"
                                + "<return_msg><![CDATA[OK]]></return_msg></xml>"))
                .isTrue();
        assertThat(v2.acknowledges(200, "<xml><return_code>SUCCESS</return_code></xml>"))
                .isTrue();
        assertThat(v2.acknowledges(200, "<xml><return_code><![CDATA[FAIL]]></return_code></xml>"))
                .isFalse();
        assertThat(v2.acknowledges(200, "<xml><return_msg>SUCCESS</return_msg></xml>"))
                .isFalse();
        assertThat(v2.acknowledges(500, "<xml><return_code>SUCCESS</return_code></xml>"))
                .isFalse();
        // An entity that would expand to SUCCESS in a parser is only text here.
        assertThat(v2.acknowledges(
                        200, "<!DOCTYPE x [<!ENTITY s \"SUCCESS\">]><xml><return_code>&s;</return_code></xml>"))
                .isFalse();
    }

    @Test
    void jsonResultSuccessWantsAntomsFixedResult() {
        AckMatcher antom = AckMatcher.JSON_RESULT_SUCCESS;

        assertThat(
                        antom.acknowledges(
                                200,
                                "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"}}"))
                .isTrue();
        assertThat(antom.acknowledges(200, "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"F\"}}"))
                .isFalse();
        assertThat(antom.acknowledges(200, "{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\"}"))
                .isFalse();
        assertThat(antom.acknowledges(200, "success")).isFalse();
    }

    @Test
    void exactBodySuccessWantsTheSevenCharactersAlone() {
        AckMatcher alipay = AckMatcher.EXACT_BODY_SUCCESS;

        assertThat(alipay.acknowledges(200, "success")).isTrue();
        assertThat(alipay.acknowledges(200, "success\n")).isFalse();
        assertThat(alipay.acknowledges(200, "SUCCESS")).isFalse();
        assertThat(alipay.acknowledges(200, " success")).isFalse();
        assertThat(alipay.acknowledges(500, "success")).isFalse();
    }
}
