package dev.ragline.api.common;

import java.util.Set;

public final class Roles {

    public static final String CUSTOMER = "customer";
    public static final String STAFF = "staff";
    public static final String ADMIN = "admin";
    public static final String PLATFORM_ADMIN = "platform_admin";
    public static final Set<String> ALL = Set.of(CUSTOMER, STAFF, ADMIN, PLATFORM_ADMIN);

    private Roles() {
    }
}
