package dev.courier.notifier.endpoint;

import dev.courier.notifier.schedule.RetryProfile;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A payment provider's callback rules as one name: its retry schedule and what its receivers answer. An endpoint takes
 * a preset for all its notifications ({@code preset}) or per event type ({@code presetsByEventType}), since some
 * providers retry different notification types on different schedules.
 */
public enum Preset {
    /**
     * WeChat Pay API v3 payment and refund results: 15s 15s 30s 3m 10m 20m 30m 30m 30m 60m 3h 3h 3h 6h 6h (24h4m);
     * acknowledged by HTTP 200 or 204, no body needed. Source: WeChat Pay API v3, 支付成功回调通知 / 退款结果通知 and
     * 通知应答 ("接收成功：HTTP应答状态码需返回200或204，无需返回应答报文").
     */
    WECHAT_PAY_V3("wechat-pay-v3", "wechat-pay", AckMatcher.STATUS_200_204),
    /**
     * WeChat Pay Score payment results: 15s 15s 30s 3m 30m 30m 30m 30m 60m; acknowledged as API v3. Source: WeChat
     * Pay Score, 支付成功回调通知 ("通知频率为15/15/30/180/1800/1800/1800/1800/3600，单位：秒").
     */
    WECHAT_PAY_SCORE("wechat-pay-score", "wechat-pay-score", AckMatcher.STATUS_200_204),
    /**
     * WeChat Pay API v2 payment results: 15s 15s 30s 3m 30m 30m 30m 30m 60m; acknowledged by an XML answer whose
     * {@code return_code} is {@code SUCCESS}. Source: WeChat Pay API v2, 支付结果通用通知.
     */
    WECHAT_PAY_V2("wechat-pay-v2", "wechat-pay-v2", AckMatcher.XML_RETURN_CODE_SUCCESS),
    /**
     * Alipay asynchronous notifications: 4m 10m 10m 1h 2h 6h 15h (24h24m); acknowledged by the exact body {@code
     * success}. Source: Alipay Open Platform, 异步通知说明.
     */
    ALIPAY("alipay", "alipay", AckMatcher.EXACT_BODY_SUCCESS),
    /**
     * Antom (Alipay+ cross-border) notifications: 2m 10m 10m 1h 2h 6h 15h; acknowledged by the fixed {@code result}
     * ({@code resultCode} {@code SUCCESS}, {@code resultStatus} {@code S}). Source: Antom, notifyPayment (response
     * parameters).
     */
    ANTOM("antom", "antom", AckMatcher.JSON_RESULT_SUCCESS),
    /** Svix's schedule, which Standard Webhooks senders commonly use; any 2xx. */
    STANDARD_WEBHOOKS("standard-webhooks", "standard-webhooks", AckMatcher.ANY_2XX),
    /**
     * The example schedule of the Standard Webhooks specification ("Deliverability and reliability"), spanning three
     * days: 5s 5m 30m 2h 5h 10h 14h 20h 24h; any 2xx.
     */
    STANDARD_WEBHOOKS_LONG("standard-webhooks-long", "standard-webhooks-long", AckMatcher.ANY_2XX);

    private final String spec;
    private final RetryProfile retryProfile;
    private final AckMatcher ackMatcher;

    Preset(String spec, String retryProfile, AckMatcher ackMatcher) {
        this.spec = spec;
        this.retryProfile = RetryProfile.parse(retryProfile);
        this.ackMatcher = ackMatcher;
    }

    public String spec() {
        return spec;
    }

    public DeliveryPolicy policy() {
        return new DeliveryPolicy(retryProfile, ackMatcher);
    }

    /** @throws IllegalArgumentException listing the presets */
    public static Preset parse(String spec) {
        for (Preset preset : values()) {
            if (spec != null && preset.spec.equals(spec.trim().toLowerCase(Locale.ROOT))) {
                return preset;
            }
        }
        throw new IllegalArgumentException(
                "one of " + Arrays.stream(values()).map(Preset::spec).collect(Collectors.joining(", ")));
    }
}
