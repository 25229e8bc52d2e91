package dev.courier.example.orders;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/orders}, {@code POST /api/orders/{id}/payment}, {@code GET /api/orders/{id}}, {@code GET /api/stats}. */
@RestController
@RequestMapping("/api")
public class OrdersController {

    private final Orders orders;

    public OrdersController(Orders orders) {
        this.orders = orders;
    }

    @PostMapping("/orders")
    public ResponseEntity<?> place(@RequestBody OrderRequest request) {
        String problems = request.problems();
        if (!problems.isEmpty()) {
            return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, problems));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(orders.place(request));
    }

    @PostMapping("/orders/{id}/payment")
    public ResponseEntity<?> pay(@PathVariable UUID id) {
        return orNotFound(orders.pay(id), id);
    }

    @GetMapping("/orders/{id}")
    public ResponseEntity<?> find(@PathVariable UUID id) {
        return orNotFound(orders.find(id), id);
    }

    private static ResponseEntity<?> orNotFound(Optional<Order> order, UUID id) {
        return order.<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no order " + id)));
    }

    @GetMapping("/stats")
    public Map<String, Long> stats() {
        return orders.stats();
    }
}
