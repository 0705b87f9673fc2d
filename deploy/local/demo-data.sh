#!/usr/bin/env bash
# Idempotent demo data for `./ragline up`, run once every service is ready: tenants `demo` and
# `globex`, each with admin@, staff@ and customer@<tenant>.test, a restaurant menu of 45 products
# and the promotion code WELCOME10 (10 % off from a subtotal of 20.00).
#
# Only the platform admin is written to PostgreSQL directly (there is nobody yet who could create
# them through the API); everything else goes through api-service's public endpoints, so products
# also reach the outbox and from there the rest of the suite. Running it again changes nothing:
# what exists already answers 409 and is left as it is.
set -euo pipefail

API="${RAGLINE_API_URL:-http://127.0.0.1:8000}"
PASSWORD="${RAGLINE_DEMO_PASSWORD:-ragline-demo}"
PLATFORM_EMAIL="${RAGLINE_PLATFORM_ADMIN_EMAIL:-platform@ragline.test}"
PG_HOST=127.0.0.1
PG_PORT="${RAGLINE_PG_PORT:-5432}"
DB="${RAGLINE_DEMO_DB:-ragline}"

say() { printf '  %-10s %s\n' "$1" "$2"; }
die() {
  echo "error: $*" >&2
  exit 1
}

pg_super() {
  export PGOPTIONS="-c client_min_messages=warning"
  if psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"
  else
    sudo runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"
  fi
}

# POST $1 with JSON $2 (token $3 optional); prints the body; fails on anything but 2xx and 409.
post() {
  local path="$1" body="$2" token="${3:-}" out status
  out=$(mktemp)
  status=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$API$path" -H 'Content-Type: application/json' \
    ${token:+-H "Authorization: Bearer $token"} --data "$body")
  if [ "$status" != 409 ] && { [ "$status" -lt 200 ] || [ "$status" -ge 300 ]; }; then
    cat "$out" >&2
    rm -f "$out"
    die "POST $path answered $status"
  fi
  cat "$out"
  rm -f "$out"
  [ "$status" != 409 ] || return 3
}

login() {
  post /v1/auth/login "$(jq -nc --arg t "$1" --arg e "$2" --arg p "$PASSWORD" '{tenant: $t, email: $e, password: $p}')" |
    jq -er .access_token
}

# The platform admin lives in the `platform` tenant; the hash is bcrypt, as api-service writes it.
platform_admin() {
  pg_super -d "$DB" -v email="$PLATFORM_EMAIL" -v password="$PASSWORD" <<'SQL' >/dev/null
CREATE EXTENSION IF NOT EXISTS pgcrypto;
INSERT INTO api.tenants (id, slug, name) VALUES (gen_random_uuid(), 'platform', 'RAGline platform')
ON CONFLICT (slug) DO NOTHING;
INSERT INTO api.users (id, tenant_id, email, password_hash, roles)
SELECT gen_random_uuid(), id, :'email', crypt(:'password', gen_salt('bf', 10)), ARRAY['platform_admin']
FROM api.tenants WHERE slug = 'platform'
ON CONFLICT (tenant_id, email) DO UPDATE SET password_hash = EXCLUDED.password_hash
WHERE crypt(:'password', api.users.password_hash) <> api.users.password_hash;
SQL
}

# sku|name|category|price|tags|description
MENU=$(
  cat <<'MENU'
ST-BRUS|Bruschetta al pomodoro|starters|6.50|vegetarian,vegan|Grilled sourdough, tomatoes, garlic, basil
ST-ARAN|Arancini|starters|7.00|vegetarian|Fried risotto balls with mozzarella
ST-CALA|Fried calamari|starters|9.50||Crisp squid rings, lemon aioli
ST-BURR|Burrata|starters|11.00|vegetarian,gluten-free|Apulian burrata, cherry tomatoes, basil oil
ST-CARP|Beef carpaccio|starters|12.00|gluten-free|Thin raw beef, rocket, parmesan, capers
ST-GARB|Garlic bread|starters|4.50|vegetarian|Wood-oven flatbread with garlic butter
ST-NDUJ|Spicy nduja crostini|starters|7.50|spicy|Calabrian nduja on toasted bread
PZ-MARG|Pizza Margherita|pizza|9.50|vegetarian|Tomato, fior di latte, basil
PZ-MARI|Pizza Marinara|pizza|8.00|vegan|Tomato, garlic, oregano, olive oil
PZ-DIAV|Pizza Diavola|pizza|11.50|spicy|Tomato, mozzarella, spicy salami, chilli
PZ-QFOR|Pizza Quattro formaggi|pizza|12.50|vegetarian|Mozzarella, gorgonzola, fontina, parmesan
PZ-FUNG|Pizza Funghi|pizza|11.00|vegetarian|Tomato, mozzarella, mushrooms
PZ-PROS|Pizza Prosciutto e rucola|pizza|13.50||Mozzarella, Parma ham, rocket, parmesan
PZ-VERD|Pizza Verdure|pizza|11.50|vegan|Tomato, grilled vegetables, no cheese
PZ-GLFR|Gluten-free Margherita|pizza|11.00|vegetarian,gluten-free|On a gluten-free base
PA-CARB|Spaghetti carbonara|pasta|12.50||Egg, pecorino, guanciale, black pepper
PA-ARRA|Penne all'arrabbiata|pasta|10.50|vegan,spicy|Tomato, garlic, chilli
PA-PEST|Trofie al pesto|pasta|11.50|vegetarian|Basil pesto, green beans, potatoes
PA-LASA|Lasagne al forno|pasta|13.50||Beef ragu, bechamel, parmesan
PA-VONG|Linguine alle vongole|pasta|15.50||Clams, white wine, parsley
PA-CACI|Tonnarelli cacio e pepe|pasta|11.00|vegetarian|Pecorino and black pepper
PA-GNOC|Gnocchi sorrentina|pasta|12.00|vegetarian|Potato gnocchi, tomato, mozzarella
SA-CAPR|Insalata caprese|salads|9.50|vegetarian,gluten-free|Tomatoes, mozzarella, basil
SA-CESA|Caesar salad|salads|11.00||Romaine, chicken, croutons, parmesan
SA-RUCO|Rocket and parmesan|salads|8.50|vegetarian,gluten-free|Rocket, shaved parmesan, balsamic
SA-QUIN|Quinoa bowl|salads|10.50|vegan,gluten-free|Quinoa, chickpeas, avocado, tahini
SA-PANZ|Panzanella|salads|9.00|vegan|Tuscan bread salad with tomatoes and onion
MA-SALT|Saltimbocca alla romana|mains|18.50|gluten-free|Veal, sage, Parma ham, white wine
MA-BRAN|Branzino al forno|mains|21.00|gluten-free|Oven-roasted sea bass, potatoes, olives
MA-MILA|Cotoletta alla milanese|mains|19.50||Breaded veal cutlet, lemon
MA-PARM|Melanzane alla parmigiana|mains|14.50|vegetarian|Baked aubergine, tomato, parmesan
MA-POLL|Pollo alla diavola|mains|16.50|spicy,gluten-free|Spicy grilled chicken, rosemary potatoes
MA-RISO|Risotto ai funghi porcini|mains|16.00|vegetarian,gluten-free|Carnaroli rice, porcini, parmesan
DE-TIRA|Tiramisu|desserts|6.50|vegetarian|Mascarpone, coffee, savoiardi
DE-PANN|Panna cotta|desserts|6.00|vegetarian,gluten-free|Vanilla cream, berry coulis
DE-CANN|Cannoli siciliani|desserts|6.50|vegetarian|Ricotta, candied orange, pistachio
DE-AFFO|Affogato|desserts|5.00|vegetarian,gluten-free|Vanilla gelato drowned in espresso
DE-SORB|Lemon sorbet|desserts|4.50|vegan,gluten-free|Amalfi lemon sorbet
DR-ACQU|Sparkling water 0.75 l|drinks|3.50|vegan,gluten-free|San Pellegrino
DR-LIMO|Homemade lemonade|drinks|4.00|vegan,gluten-free|Lemons, mint, cane sugar
DR-ESPR|Espresso|drinks|2.20|vegan,gluten-free|Single shot
DR-CAPP|Cappuccino|drinks|3.20|vegetarian,gluten-free|Espresso and steamed milk
DR-CHIN|Chinotto|drinks|3.80|vegan,gluten-free|Bitter orange soda
DR-BIRR|Birra Moretti 0.33 l|drinks|4.50|vegan|Italian lager
DR-VINO|House red wine, glass|drinks|5.50|vegan,gluten-free|Montepulciano d'Abruzzo
MENU
)

seed_tenant() {
  local slug="$1" name="$2" currency="$3" platform_token="$4" admin_token created=0 existing=0 sku pname category price tags description
  post /v1/tenants "$(jq -nc --arg s "$slug" --arg n "$name" --arg e "admin@$slug.test" --arg p "$PASSWORD" \
    '{slug: $s, name: $n, admin_email: $e, admin_password: $p}')" "$platform_token" >/dev/null || true
  admin_token=$(login "$slug" "admin@$slug.test") || die "cannot log in as admin@$slug.test (was it created with another password?)"
  for role in staff customer; do
    post /v1/users "$(jq -nc --arg e "$role@$slug.test" --arg p "$PASSWORD" --arg r "$role" \
      '{email: $e, password: $p, roles: [$r]}')" "$admin_token" >/dev/null || true
  done
  while IFS='|' read -r sku pname category price tags description; do
    [ -n "$sku" ] || continue
    if post /v1/products "$(jq -nc --arg sku "$sku" --arg n "$pname" --arg c "$category" --arg price "$price" \
      --arg tags "$tags" --arg d "$description" --arg cur "$currency" \
      '{sku: $sku, name: $n, description: $d, price: ($price | tonumber), currency: $cur, category: $c,
        tags: ($tags | split(",") | map(select(length > 0))), available: true}')" "$admin_token" >/dev/null; then
      created=$((created + 1))
    else
      existing=$((existing + 1))
    fi
  done <<<"$MENU"
  post /v1/promotions '{"code":"WELCOME10","kind":"percent","amount":10,"min_subtotal":20}' "$admin_token" >/dev/null || true
  say "$slug" "menu: $created products added, $existing already there; promotion WELCOME10"
}

command -v jq >/dev/null 2>&1 || die "jq is needed for the demo data (apt-get install jq)"
curl -fs "$API/q/health/ready" >/dev/null || die "api-service is not ready at $API"
platform_admin
platform_token=$(login platform "$PLATFORM_EMAIL") || die "cannot log in as the platform admin"
seed_tenant demo "Demo Trattoria" EUR "$platform_token"
seed_tenant globex "Globex Canteen" USD "$platform_token"
say "demo data" "users admin@, staff@, customer@{demo,globex}.test and $PLATFORM_EMAIL; password: $PASSWORD"
