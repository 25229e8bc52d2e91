package dev.courier.example.orders;

/** The body of {@code POST /api/orders}. */
public record OrderRequest(String customer, String sku, Integer quantity, Long amountCents) {

    /** The request's problems, empty when it is valid. */
    String problems() {
        StringBuilder problems = new StringBuilder();
        if (customer == null || customer.isBlank() || customer.length() > 128) {
            problems.append("customer is required (at most 128 characters); ");
        }
        if (sku == null || sku.isBlank() || sku.length() > 64) {
            problems.append("sku is required (at most 64 characters); ");
        }
        if (quantity == null || quantity < 1) {
            problems.append("quantity must be at least 1; ");
        }
        if (amountCents == null || amountCents < 1) {
            problems.append("amountCents must be at least 1; ");
        }
        return problems.toString().strip();
    }
}
