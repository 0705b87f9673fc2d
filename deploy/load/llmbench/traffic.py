"""The chats: one chat as a client sees it, load phases (closed loop, or paced like independent users) and the
warm-up that runs until the JIT is done with the chat path."""
import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from llmbench.measure import Phase
from llmbench.service import cpu_ms, jit_cpu_ms


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
