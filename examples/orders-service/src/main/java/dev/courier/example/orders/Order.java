package dev.courier.example.orders;

import java.util.UUID;

/** An order as placed and as published in its {@code OrderPlaced} event. */
public record Order(UUID id, String customer, String sku, int quantity, long amountCents, String status) {}
