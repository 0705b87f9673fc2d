#!/usr/bin/env python3
"""llm-service benchmark (stdlib only).

Starts the packaged llm-service on its own port and topics, with a local stand-in for api-service
(GET /v1/products, POST /v1/carts/price) and, for the provider run, a local OpenAI-compatible server.
Measures:
  * catalogue retrieval at N products (default 10000), re-indexed through POST /v1/catalogue/rebuild
    (which gives the tenant its own partial HNSW index): server-side p50/p95/p99 of retrieve_menu
    (query embedding + filtered vector search) and of the vector search alone, from /q/metrics;
  * first-token latency, as the client sees it and as the service reports it (first_token_ms in `done`), in
    two scenarios:
      - saturation ("20 concurrent"): C closed-loop clients (default 20) send chats back to back, all starting
        together; the scripted provider answers instantly (four chunks at once, connection closed after each
        reply). This is a CPU throughput test: the chats queue for the box's cores;
      - model-like ("provider streaming" / "20 users"): the scripted provider streams like a model (first
        chunk after --stream-first-chunk-ms, then --stream-chunks chunks every --stream-interval-ms, on a
        kept-alive connection), and client i sends its k-th chat at (i / C + k) x the answer's length, so C
        chats are in flight, mostly waiting on the provider, and arrive spread over time. The offline
        responder has no provider to wait on; its "20 users" phase uses the same arrival schedule;
  * for the provider path, the time from the client sending its message to the provider receiving the
    model request (what the service does before it calls the model), and the service's first_token_ms less
    the provider's own time from receiving the request to writing its first chunk (what the service adds),
    from the scripted provider's own timestamps;
  * CPU time of the service process per chat (utime + stime from /proc), which depends far less on what
    else runs on the box than wall-clock times, and the part of it the JIT compiler threads used; and how
    many chats were in flight on average.

Each path is warmed up first (rounds of 400 chats, 20 at a time, until the JIT compilers use under 5 % of
the service's CPU in two rounds in a row, at most 20,000 chats), so the figures are those of a service that
has been running, not of one still compiling its chat path.

Everything runs on one box: the clients (Python threads) and the scripted provider (its own Python process,
so it does not share the clients' interpreter lock) compete with the service for the same cores, so client
figures include the client's own queueing.
"""
import argparse
import base64
import json
import multiprocessing
import os
import random
import shlex
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KEYS = os.path.join(ROOT, ".ragline", "keys")
DEFAULT_JAR = os.path.join(ROOT, "llm-service", "target", "quarkus-app", "quarkus-run.jar")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

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


def serve(handler_class):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def fake_api(catalogue):
    class Api(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            from urllib.parse import urlparse, parse_qs
            query = parse_qs(urlparse(self.path).query)
            page, size = int(query.get("page", ["0"])[0]), int(query.get("size", ["20"])[0])
            body = json.dumps({"items": catalogue[page * size:(page + 1) * size], "page": page, "size": size,
                               "total": len(catalogue)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return serve(Api)


INSTANT = {"first_chunk_ms": 0, "chunks": 0, "interval_ms": 0, "keep_alive": False}


def scripted_openai_process(port_out):
    """The scripted provider, in its own process. POST /script sets how the following replies stream:
    {"chunks": 0} (instant, the default) answers four chunks at once and closes the connection after each
    reply; {"first_chunk_ms": F, "chunks": N, "interval_ms": I, "keep_alive": true} streams like a model:
    the first chunk after F ms, then one chunk every I ms, N in all, chunked and on a kept-alive connection
    as a hosted provider does. GET /arrivals returns when each user message arrived and when its first chunk
    was written."""
    arrivals = {}
    first_chunks = {}
    script = dict(INSTANT)

    class OpenAi(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer_json(self, value):
            body = json.dumps(value).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.answer_json({"arrivals": arrivals, "first_chunks": first_chunks})

        def do_POST(self):
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            if self.path.endswith("/script"):
                script.clear()
                script.update(INSTANT, **request)
                self.answer_json(script)
                return
            message = request["messages"][-1].get("content", "")
            arrived = arrivals[message] = time.time()
            pace = dict(script)
            parts = ["Our", " menu", " is", " ready."] if pace["chunks"] <= 0 else \
                [" word%d" % i for i in range(pace["chunks"])]
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            if pace["keep_alive"]:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Connection", "close")
            self.end_headers()

            def send(data, flush=True):
                data = data.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if pace["keep_alive"] else data)
                if flush:
                    self.wfile.flush()

            for i, part in enumerate(parts):
                if pace["chunks"] > 0:
                    # Each chunk at its own time from the arrival, so slow writes do not stretch the answer.
                    due = arrived + (pace["first_chunk_ms"] + i * pace["interval_ms"]) / 1000
                    time.sleep(max(0.0, due - time.time()))
                chunk = {"id": "b", "object": "chat.completion.chunk", "created": 1, "model": "bench",
                         "choices": [{"index": 0, "delta": {"content": part}, "finish_reason": None}]}
                send("data: " + json.dumps(chunk) + "\n\n")
                if i == 0:
                    first_chunks[message] = time.time()
            done = {"id": "b", "object": "chat.completion.chunk", "created": 1, "model": "bench",
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            usage = {"id": "b", "object": "chat.completion.chunk", "created": 1, "model": "bench", "choices": [],
                     "usage": {"prompt_tokens": 50, "completion_tokens": len(parts), "total_tokens": 50 + len(parts)}}
            for chunk in (done, usage):
                send("data: " + json.dumps(chunk) + "\n\n", flush=False)
            send("data: [DONE]\n\n")
            if pace["keep_alive"]:
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            else:
                self.close_connection = True

    class Server(ThreadingHTTPServer):
        # socketserver's default backlog of 5 would drop connection attempts of 20 concurrent calls.
        request_queue_size = 128
        daemon_threads = True

    server = Server(("127.0.0.1", 0), OpenAi)
    port_out.put(server.server_port)
    server.serve_forever()


def scripted_openai():
    ports = multiprocessing.Queue()
    process = multiprocessing.Process(target=scripted_openai_process, args=(ports,), daemon=True)
    process.start()
    return process, ports.get(timeout=30)


def provider_arrivals(port):
    """When each user message reached the scripted provider, and when its first chunk left it."""
    return json.loads(urllib.request.urlopen("http://127.0.0.1:%d/arrivals" % port).read())


def provider_script(port, **pace):
    request = urllib.request.Request("http://127.0.0.1:%d/script" % port, method="POST",
                                     data=json.dumps(pace).encode(), headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()


def cpu_ms(process):
    with open("/proc/%d/stat" % process.pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS


def jit_cpu_ms(process):
    """CPU time of the JVM's JIT compiler threads (C1 and C2), from /proc/<pid>/task/*/stat."""
    total = 0.0
    task_dir = "/proc/%d/task" % process.pid
    for task in os.listdir(task_dir):
        try:
            with open(os.path.join(task_dir, task, "stat")) as stat:
                text = stat.read()
        except FileNotFoundError:
            continue  # the thread ended meanwhile
        name = text[text.index("(") + 1:text.rindex(")")]
        if "CompilerThre" in name:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS
    return total


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_service(jar, port, api_url, openai_url, run_id, jvm_options=()):
    env = dict(os.environ)
    env.update({
        "QUARKUS_HTTP_PORT": str(port),
        "RAGLINE_API_BASE_URL": api_url,
        "RAGLINE_JWT_PUBLIC_KEY": "file:" + os.path.join(KEYS, "jwt-public.pem"),
        "MP_MESSAGING_INCOMING_PRODUCTS_TOPIC": "ragline.bench.products." + run_id,
        "MP_MESSAGING_INCOMING_PRODUCTS_GROUP_ID": "llm-bench-" + run_id,
        "MP_MESSAGING_OUTGOING_CHAT_TOOLS_TOPIC": "ragline.bench.chat_tools",
        "QUARKUS_LOG_LEVEL": "WARN",
        # The benchmark tenant lives in the test database, never in the one `./ragline up` serves.
        "RAGLINE_DB_URL": "postgresql://127.0.0.1:5432/ragline_test",
    })
    env.pop("OPENAI_API_BASE", None)
    if openai_url:
        env["OPENAI_API_BASE"] = openai_url
        env["OPENAI_API_KEY"] = "bench"
    log = open(os.path.join(ROOT, ".ragline", "logs", "llm-bench-%d.log" % port), "w")
    process = subprocess.Popen(["java", "-Xmx768m", "--enable-native-access=ALL-UNNAMED"] + jvm_options + ["-jar", jar],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/q/health/ready" % port, timeout=1)
            return process
        except Exception:
            if process.poll() is not None:
                sys.exit("llm-service exited during start-up, see " + log.name)
            time.sleep(0.2)
    process.kill()
    sys.exit("llm-service was not ready after 120 s")


def chat(port, token, message):
    """Returns (wall-clock time sent, ms to the first token event, first_token_ms the service reported, ms until
    the stream ended, first_token_model_ms the service reported)."""
    sent = time.time()
    started = time.perf_counter()
    request = urllib.request.Request("http://127.0.0.1:%d/v1/chat" % port, method="POST",
                                     data=json.dumps({"message": message}).encode(),
                                     headers={"Authorization": "Bearer " + token, "Accept": "text/event-stream",
                                              "Content-Type": "application/json"})
    first = None
    reported = None
    model = None
    event = None
    with urllib.request.urlopen(request, timeout=120) as response:
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "token" and first is None:
                first = (time.perf_counter() - started) * 1000
            elif line.startswith("data:") and event == "done":
                done = json.loads(line[5:])
                reported, model = done.get("first_token_ms"), done.get("first_token_model_ms")
            elif line.startswith("data:") and event == "error":
                raise RuntimeError(line)
    return sent, first, reported, (time.perf_counter() - started) * 1000, model


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Phase:
    """One load phase's results: client and server first-token times, when each message was sent, CPU used."""

    def __init__(self, messages, results, cpu, idle_cpu, jit_cpu, seconds, began):
        self.sent = {message: r[0] for message, r in zip(messages, results)}
        self.reported = {message: r[2] for message, r in zip(messages, results)}
        self.client = [r[1] for r in results]
        self.server = [r[2] for r in results if r[2] is not None]
        # What the service adds by its own account: first_token_ms less its model's time before that token.
        self.added_by_service = [r[2] - r[4] for r in results if r[2] is not None and r[4] is not None]
        self.cpu_per_chat = cpu / len(results)
        self.idle_cpu_per_chat = idle_cpu / len(results)
        self.jit_cpu_per_chat = jit_cpu / len(results)
        # Little's law: the chats' summed durations over the phase's length is how many were in flight on average.
        self.in_flight = sum(r[3] for r in results) / 1000 / seconds
        self.seconds = seconds
        self.began = began

    def until_provider(self, provider):
        arrivals = provider["arrivals"]
        return [(arrivals[m] - t) * 1000 for m, t in self.sent.items() if m in arrivals]

    def added(self, provider):
        """The service's first_token_ms less the provider's own time from the request to its first chunk."""
        arrivals, firsts = provider["arrivals"], provider["first_chunks"]
        return [reported - (firsts[m] - arrivals[m]) * 1000 for m, reported in self.reported.items()
                if reported is not None and m in firsts]


def idle_cpu_rate(service, seconds=3.0):
    """CPU ms per second the service spends with no chat running (Kafka clients, metrics, JIT catching up)."""
    before = cpu_ms(service)
    time.sleep(seconds)
    return (cpu_ms(service) - before) / seconds


def load(service, port, token, messages, concurrency, per_client, period_ms=None, idle_rate=True):
    """Runs concurrency x per_client chats. Without a period every client sends its next chat as soon as the
    last one ended (all start together: a burst that saturates the service). With a period, client i sends
    its k-th chat at (i / concurrency + k) x period after the start, or when its previous chat ended if that is
    later: arrivals spread over time, as from independent users."""
    idle_rate = idle_cpu_rate(service) if idle_rate else 0.0
    chats = [messages[i % len(messages)] for i in range(concurrency * per_client)]
    results = [None] * len(chats)
    cpu_before = cpu_ms(service)
    jit_before = jit_cpu_ms(service)
    began = time.time()
    started = time.perf_counter()

    def client(i):
        for k in range(per_client):
            if period_ms:
                time.sleep(max(0.0, started + (i / concurrency + k) * period_ms / 1000 - time.perf_counter()))
            index = i * per_client + k
            results[index] = chat(port, token, chats[index])

    with ThreadPoolExecutor(concurrency) as pool:
        for job in [pool.submit(client, i) for i in range(concurrency)]:
            job.result()
    seconds = time.perf_counter() - started
    return Phase(chats, results, cpu_ms(service) - cpu_before, idle_rate * seconds, jit_cpu_ms(service) - jit_before,
                 seconds, began)


def warm_up(service, port, token, message_of, args):
    """Runs rounds of 20 concurrent chats x 20 until the JIT compilers used less than --steady-jit-share of the
    service's CPU in two rounds in a row (a service that has run for a while), or --warm-up chats if given. After
    200 chats the compilers still took a third of the service's CPU and doubled its CPU per chat; the measured
    phases should see the code the JIT makes of the chat path, not the JIT at work."""
    if args.warm_up is not None:
        if args.warm_up > 0:
            load(service, port, token, [message_of(i) for i in range(args.warm_up)], 20, max(1, args.warm_up // 20))
        return
    rounds = []
    quiet_rounds = 0
    for round_number in range(args.max_warm_up // 400):
        phase = load(service, port, token, [message_of(round_number * 400 + i) for i in range(400)], 20, 20,
                     idle_rate=False)
        share = phase.jit_cpu_per_chat / phase.cpu_per_chat if phase.cpu_per_chat else 0
        rounds.append("%.1f/%.0f%%" % (phase.cpu_per_chat, share * 100))
        # Two rounds in a row: the compilers' work comes in waves, and one quiet round can fall between two.
        quiet_rounds = quiet_rounds + 1 if share < args.steady_jit_share else 0
        if quiet_rounds == 2:
            break
    print("warm-up: %d chats in rounds of 400 (CPU ms per chat / JIT share of it): %s" % (
        len(rounds) * 400, ", ".join(rounds)))


def metric_quantiles(port, name):
    text = urllib.request.urlopen("http://127.0.0.1:%d/q/metrics" % port).read().decode()
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{") and "quantile=" in line:
            quantile = line.split('quantile="')[1].split('"')[0]
            found[quantile] = float(line.rsplit(" ", 1)[1]) * 1000
    return found


def report(label, values):
    if not values:
        print("%-60s n=0" % label)
        return
    print("%-60s n=%-4d p50=%7.1f ms  p95=%7.1f ms  max=%7.1f ms" % (label, len(values), percentile(values, 50),
                                                                      percentile(values, 95), max(values)))


def report_phase(label, phase, provider=None):
    report(label + " (client)", phase.client)
    report(label + " (server)", phase.server)
    if provider is None:
        # In-process, the model's time is measured exactly (the tool choice, with its wait for an inference thread).
        # For a provider the service can only time the call as a whole, its own sending included, so the scripted
        # provider's timestamps below are the measure.
        report(label + " (server, less its model's time, by the service)", phase.added_by_service)
    if provider is not None:
        report(label + " (until provider request)", phase.until_provider(provider))
        report(label + " (server, less the provider's own time to first chunk)", phase.added(provider))
    print("%-60s %.1f ms CPU per chat, of which %.1f ms at the idle rate and %.1f ms JIT compiling" % (
        label + " (service CPU)", phase.cpu_per_chat, phase.idle_cpu_per_chat, phase.jit_cpu_per_chat))
    print("%-60s %.1f on average over %.1f s from %s UTC" % (
        label + " (chats in flight)", phase.in_flight, phase.seconds,
        time.strftime("%H:%M:%S", time.gmtime(phase.began))))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--chats-per-client", type=int, default=10)
    parser.add_argument("--retrievals", type=int, default=300)
    parser.add_argument("--paths", default="offline,provider",
                        help="which runs to do: offline (with retrieval), provider, or both (the default)")
    parser.add_argument("--warm-up", type=int, default=None,
                        help="chats (20 at a time) before measuring each path; by default, rounds of 400 until the "
                             "JIT is done with the chat path (see --steady-jit-share), so a running service is "
                             "measured, not one still compiling")
    parser.add_argument("--steady-jit-share", type=float, default=0.05,
                        help="the default warm-up ends after two rounds in a row in which the JIT compilers used less "
                             "than this share of the service's CPU")
    parser.add_argument("--max-warm-up", type=int, default=20000, help="at most this many warm-up chats per path")
    parser.add_argument("--jar", default=DEFAULT_JAR, help="the packaged service (quarkus-run.jar) to measure")
    parser.add_argument("--jvm-options", default="",
                        help="extra options for the service's JVM, e.g. "
                             "-XX:StartFlightRecording=filename=/tmp/llm.jfr,settings=profile")
    parser.add_argument("--stream-first-chunk-ms", type=int, default=0,
                        help="streaming scenario: the scripted provider's time to its first chunk")
    parser.add_argument("--stream-chunks", type=int, default=40, help="streaming scenario: chunks per answer")
    parser.add_argument("--stream-interval-ms", type=int, default=20,
                        help="streaming scenario: time between chunks (20 ms is 50 chunks/s, a fast hosted model)")
    parser.add_argument("--stream-connection", choices=["keep-alive", "close"], default="keep-alive",
                        help="streaming scenario: whether the scripted provider keeps its connection open between "
                             "replies, as a hosted provider does (the instant scenario always closes it)")
    args = parser.parse_args()
    if not os.path.exists(args.jar):
        sys.exit("Package first: ./mvnw -pl llm-service -am package -DskipTests")
    run_id = uuid.uuid4().hex[:8]
    tenant = args.tenant = str(uuid.uuid4())
    staff = sign(tenant, str(uuid.uuid4()), "staff")
    customer = sign(tenant, str(uuid.uuid4()), "customer")
    api = fake_api(products(tenant, args.products))
    openai, openai_port = scripted_openai()
    api_url = "http://127.0.0.1:%d" % api.server_port
    # Every offline message is unique (a guest number at the end), as customers' messages are: the service
    # remembers the embeddings of texts it has seen, and repeated questions would measure that memory instead of
    # the model.
    questions = ["Which vegetarian dishes do you have under 12?", "Anything spicy with chicken?",
                 "Show me vegan desserts", "A gluten-free pasta under 10 euros", "Something with truffle"]

    paths = args.paths.split(",")
    try:
        if "offline" in paths:
            offline(args, api_url, run_id, staff, customer, questions)
        if "provider" in paths:
            provider(args, api_url, run_id, customer, openai_port)
    finally:
        openai.terminate()
        cleanup(tenant)


def offline(args, api_url, run_id, staff, customer, questions):
    port = free_port()
    service = start_service(args.jar, port, api_url, None, run_id, shlex.split(args.jvm_options))
    try:
        started = time.perf_counter()
        rebuild = urllib.request.Request("http://127.0.0.1:%d/v1/catalogue/rebuild" % port, method="POST",
                                         headers={"Authorization": "Bearer " + staff})
        indexed = json.loads(urllib.request.urlopen(rebuild, timeout=3600).read())
        print("indexed %d products for tenant %s in %.1f s" % (indexed["indexed"], args.tenant,
                                                               time.perf_counter() - started))
        guests = iter(range(10 ** 9))

        def unique(count):
            return ["%s (guest %d)" % (questions[i % len(questions)], next(guests)) for i in range(count)]

        chat(port, customer, "warm up")
        for message in unique(args.retrievals):
            chat(port, customer, message)
        # In an offline chat retrieve_menu's query is the customer's message, whose embedding the tool choice has
        # just made: the retrieval line is then the search and little else. A query a model writes is new text:
        # embedding it (the embedding line, each message once) plus the search is the tool's cost then.
        for metric, label in (("ragline_llm_retrieval_seconds", "retrieve_menu at %d products (server)"),
                              ("ragline_llm_retrieval_search_seconds", "  of which the vector search alone"),
                              ("ragline_llm_embedding_seconds", "embedding a new text (wait + inference)")):
            quantiles = metric_quantiles(port, metric)
            print("%-52s n=%-4d p50=%7.1f ms  p95=%7.1f ms  p99=%7.1f ms" % (
                label % args.products if "%d" in label else label, args.retrievals,
                quantiles.get("0.5", -1), quantiles.get("0.95", -1), quantiles.get("0.99", -1)))
        warm_up(service, port, customer, lambda i: unique(1)[0], args)
        report_phase("offline: first token, one chat at a time", load(service, port, customer, unique(20), 1, 20))
        chats = args.concurrency * args.chats_per_client
        report_phase("offline: first token, %d concurrent" % args.concurrency,
                     load(service, port, customer, unique(chats), args.concurrency, args.chats_per_client))
        # The offline responder has no provider to wait on: its chats end in milliseconds, so 20 users who read
        # each answer send far fewer chats than 20 closed-loop clients. Paced at the streaming scenario's answer
        # length, this is the same arrival rate as 20 chats streaming from a model.
        period = stream_period_ms(args)
        report_phase("offline: first token, %d users, one chat each per %d ms" % (args.concurrency, period),
                     load(service, port, customer, unique(chats), args.concurrency, args.chats_per_client, period))
    finally:
        service.terminate()
        service.wait()

def provider(args, api_url, run_id, customer, openai_port):
    port = free_port()
    service = start_service(args.jar, port, api_url, "http://127.0.0.1:%d/v1" % openai_port, run_id,
                            shlex.split(args.jvm_options))
    try:
        warm_up(service, port, customer, lambda i: "warm up %d" % i, args)
        # Each message is unique so the scripted provider's arrival time can be matched to when it was sent.
        sequential = load(service, port, customer, ["Hello %d" % i for i in range(20)], 1, 20)
        concurrent_messages = ["Hello from client %d" % i for i in range(args.concurrency * args.chats_per_client)]
        concurrent = load(service, port, customer, concurrent_messages, args.concurrency, args.chats_per_client)
        # A model streams its answer over hundreds of milliseconds: 20 concurrent chats are 20 in flight, mostly
        # waiting on the provider, with arrivals spread over time instead of 20 at once.
        provider_script(openai_port, first_chunk_ms=args.stream_first_chunk_ms, chunks=args.stream_chunks,
                        interval_ms=args.stream_interval_ms, keep_alive=args.stream_connection == "keep-alive")
        load(service, port, customer, ["stream warm up %d" % i for i in range(20)], 20, 1)
        streaming_messages = ["Stream to client %d" % i for i in range(args.concurrency * args.chats_per_client)]
        streaming = load(service, port, customer, streaming_messages, args.concurrency, args.chats_per_client,
                         stream_period_ms(args))
        provider_script(openai_port)
        arrivals = provider_arrivals(openai_port)
        report_phase("provider: first token, one chat at a time", sequential, arrivals)
        report_phase("provider: first token, %d concurrent" % args.concurrency, concurrent, arrivals)
        report_phase("provider streaming (first chunk %d ms, %d chunks every %d ms, %s): first token, %d concurrent" % (
            args.stream_first_chunk_ms, args.stream_chunks, args.stream_interval_ms, args.stream_connection,
            args.concurrency), streaming, arrivals)
    finally:
        service.terminate()
        service.wait()


def stream_period_ms(args):
    """How long the streaming scenario's answer takes: each client's chats are paced by it."""
    return args.stream_first_chunk_ms + args.stream_chunks * args.stream_interval_ms


def cleanup(tenant):
    sql = ("DELETE FROM llm.catalogue_items WHERE tenant_id = '%s'; "
           "DELETE FROM llm.chat_sessions WHERE tenant_id = '%s'; "
           "DROP INDEX IF EXISTS llm.catalogue_items_hnsw_%s;") % (tenant, tenant, tenant.replace("-", ""))
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "ragline_test", "-c", sql], check=False)


if __name__ == "__main__":
    main()
