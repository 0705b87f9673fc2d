package dev.ragline.api.order;

import java.util.List;

public record OrderPage(List<Order> items, int page, int size, long total) {
}
