"""The benchmark tenant: its JWTs (signed with the dev keys) and a generated catalogue of N products."""
import base64
import json
import os
import random
import subprocess
import time
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
KEYS = os.path.join(ROOT, ".ragline", "keys")

WORDS = ["tomato", "basil", "mozzarella", "truffle", "mushroom", "salmon", "chicken", "lentil", "chickpea",
         "spinach", "lemon", "garlic", "chili", "pesto", "ricotta", "aubergine", "pumpkin", "walnut"]
KINDS = [("pizza", "Pizza"), ("pasta", "Pasta"), ("salads", "Salad"), ("mains", "Plate"), ("desserts", "Tart"),
         ("drinks", "Spritz"), ("starters", "Bruschetta")]
TAGS = ["vegetarian", "vegan", "gluten-free", "spicy"]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(tenant, user, role):
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    now = int(time.time())
    claims = {"iss": "https://ragline.dev", "sub": user, "upn": user + "@bench.test", "tenant_id": tenant,
              "user_id": user, "groups": [role], "roles": [role], "iat": now, "exp": now + 3600}
    payload = b64url(json.dumps(claims).encode())
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", os.path.join(KEYS, "jwt-private.pem")],
                               input=(header + "." + payload).encode(), capture_output=True, check=True).stdout
    return header + "." + payload + "." + b64url(signature)


def products(tenant, count):
    rnd = random.Random(7)
    items = []
    for i in range(count):
        category, kind = KINDS[i % len(KINDS)]
        a, b = rnd.sample(WORDS, 2)
        items.append({"id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)), "sku": "B-%05d" % i,
                      "name": "%s %s %s %d" % (a.title(), b, kind, i), "description": "With %s and %s" % (a, b),
                      "price": round(4 + (i % 30) * 0.75, 2), "currency": "EUR", "category": category,
                      "tags": rnd.sample(TAGS, rnd.randint(0, 2)), "available": i % 10 != 0})
    return items
