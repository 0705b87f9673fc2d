"""The figures: a load phase's results (client and server first-token times, CPU per chat, chats in flight),
percentiles, the service's own metrics, and the report lines."""
import time
import urllib.request


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
