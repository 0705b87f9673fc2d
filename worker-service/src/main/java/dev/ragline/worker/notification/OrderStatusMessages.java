package dev.ragline.worker.notification;

/** What a customer is told when their order reaches a status. */
final class OrderStatusMessages {

    static String of(String status) {
        return switch (status) {
            case "pending" -> "We received your order.";
            case "confirmed" -> "Your order is confirmed.";
            case "preparing" -> "Your order is being prepared.";
            case "ready" -> "Your order is ready.";
            case "completed" -> "Your order is complete. Enjoy!";
            case "cancelled" -> "Your order was cancelled.";
            default -> "Your order is now " + status + ".";
        };
    }

    private OrderStatusMessages() {
    }
}
