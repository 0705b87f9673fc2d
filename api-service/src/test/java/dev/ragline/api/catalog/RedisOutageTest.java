package dev.ragline.api.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.api.support.Menu;
import dev.ragline.api.support.TestTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(RedisOutageProfile.class)
class RedisOutageTest {

    @Inject
    TestTenants testTenants;

    @Test
    void with_redis_down_the_catalogue_is_served_and_updated_from_postgres() {
        var demo = testTenants.create("noredis");
        String staff = demo.staffToken();
        String customer = demo.customerToken();
        String id = Menu.create(staff, "Risotto", "15.00", "mains");

        given().auth().oauth2(customer).get("/v1/products/" + id).then().statusCode(200).body("name", equalTo("Risotto"));
        given().auth().oauth2(customer).get("/v1/products?category=mains").then().statusCode(200).body("total", equalTo(1));

        given().auth().oauth2(staff).contentType(ContentType.JSON)
                .body(Menu.product("Risotto ai funghi", "16.00", "mains", List.of("vegetarian"))).put("/v1/products/" + id)
                .then().statusCode(200);
        given().auth().oauth2(customer).get("/v1/products/" + id).then().statusCode(200).body("name",
                equalTo("Risotto ai funghi"));
    }
}
