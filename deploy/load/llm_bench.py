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

This file holds the two scenarios (offline, provider) and the command line; its parts are in llmbench/:
fixtures (the tenant's tokens and catalogue), stand_ins (api-service's catalogue and the scripted OpenAI
provider), service (the llm-service process and its CPU), traffic (chats, load phases, the warm-up) and
measure (a phase's figures and the report lines).
"""
import argparse
import json
import os
import shlex
import sys
import time
import urllib.request
import uuid

from llmbench.fixtures import ROOT, products, sign
from llmbench.measure import metric_quantiles, report_phase
from llmbench.service import cleanup, free_port, start_service
from llmbench.stand_ins import fake_api, provider_arrivals, provider_script, scripted_openai
from llmbench.traffic import chat, load, warm_up

DEFAULT_JAR = os.path.join(ROOT, "llm-service", "target", "quarkus-app", "quarkus-run.jar")


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


if __name__ == "__main__":
    main()
