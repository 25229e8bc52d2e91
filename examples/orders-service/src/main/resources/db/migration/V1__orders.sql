CREATE TABLE orders (
    id            UUID PRIMARY KEY,
    customer      VARCHAR(128) NOT NULL,
    sku           VARCHAR(64)  NOT NULL,
    quantity      INTEGER      NOT NULL,
    amount_cents  BIGINT       NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE payments (
    id            UUID PRIMARY KEY,
    order_id      UUID         NOT NULL UNIQUE REFERENCES orders (id),
    amount_cents  BIGINT       NOT NULL,
    paid_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Written by the stock reservation consumer (RocketMQ), once per order thanks to the inbox.
CREATE TABLE stock_reservations (
    order_id      UUID PRIMARY KEY,
    sku           VARCHAR(64)  NOT NULL,
    quantity      INTEGER      NOT NULL,
    reserved_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- The merchant endpoint this service registered with the notifier.
CREATE TABLE merchant_endpoint (
    url           VARCHAR(2048) PRIMARY KEY,
    endpoint_id   UUID          NOT NULL
);
