#!/usr/bin/env python3
"""Catalogue search quality: asks a labelled question set over the demo menu as a customer's chat messages,
through the running system (`./ragline up`, front door), and scores what retrieve_menu returned.

Standard library only (no PyPI here). Each question is a new chat session; the offline responder sends the
message as retrieve_menu's query, and the tool reads its filters out of the words.
- recall@1/5, MRR@8 over all questions (relevant: the labelled SKUs; the tool returns at most 8 items);
- for the questions marked exact (the label is every dish meeting the request's price and diet):
  precision (returned items that are labelled / returned) and exact-set rate (returned == labelled).
"""

import argparse
import json
import statistics
import sys
import time
import urllib.request


def post(url, body, token=None, accept="application/json"):
    headers = {"Content-Type": "application/json", "Accept": accept}
    if token:
        headers["Authorization"] = "Bearer " + token
    return urllib.request.urlopen(urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers,
                                                         method="POST"), timeout=60)


def skus_by_id(base, token):
    """retrieve_menu's items carry ids; the labels are SKUs, which the catalogue (api-service) knows."""
    skus, page = {}, 0
    while True:
        request = urllib.request.Request("%s/v1/products?page=%d&size=100" % (base, page),
                                         headers={"Authorization": "Bearer " + token})
        body = json.loads(urllib.request.urlopen(request, timeout=30).read())
        skus.update({item["id"]: item["sku"] for item in body["items"]})
        page += 1
        if not body["items"] or len(skus) >= body["total"]:
            return skus


def retrieve_menu(base, token, message, skus_of):
    """The SKUs retrieve_menu returned for this message, in rank order (None: the tool did not run)."""
    event, skus = None, None
    with post(base + "/v1/chat", {"message": message}, token, "text/event-stream") as response:
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "tool_result":
                data = json.loads(line[5:])
                if data.get("name") == "retrieve_menu":
                    skus = [skus_of.get(item["id"], item["id"]) for item in data.get("result", {}).get("items", [])]
    return skus


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--tenant", default="demo")
    parser.add_argument("--email", default="customer@demo.test")
    parser.add_argument("--password", default="ragline-demo")
    parser.add_argument("--questions", required=True)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    with post(args.base + "/v1/auth/login", {"tenant": args.tenant, "email": args.email,
                                             "password": args.password}) as response:
        token = json.loads(response.read())["access_token"]
    skus_of = skus_by_id(args.base, token)
    questions = [json.loads(line) for line in open(args.questions) if line.strip()]
    recall1, recall5, rr, precision, exact, latency, missing = [], [], [], [], [], [], 0
    for question in questions:
        relevant = set(question["relevant"])
        started = time.perf_counter()
        skus = retrieve_menu(args.base, token, question["q"], skus_of)
        latency.append((time.perf_counter() - started) * 1000)
        if skus is None:
            missing += 1
            skus = []
        recall1.append(len(relevant & set(skus[:1])) / min(1, len(relevant)))
        recall5.append(len(relevant & set(skus[:5])) / len(relevant))
        rr.append(next((1 / (i + 1) for i, sku in enumerate(skus[:8]) if sku in relevant), 0))
        if question.get("exact"):
            precision.append(len(relevant & set(skus)) / len(skus) if skus else 0)
            exact.append(1 if set(skus) == relevant else 0)
        if args.verbose:
            print("%-55s %s" % (question["q"][:55], ",".join(skus)))
    print("questions %d (%d exact), retrieve_menu not called: %d" % (len(questions), len(exact), missing))
    print("recall@1 %.3f  recall@5 %.3f  MRR@8 %.3f" % (statistics.mean(recall1), statistics.mean(recall5),
                                                     statistics.mean(rr)))
    print("exact questions: precision %.3f  exact-set rate %.3f" % (statistics.mean(precision),
                                                                   statistics.mean(exact)))
    latency.sort()
    print("chat turn p50 %.1f ms  p95 %.1f ms" % (latency[len(latency) // 2], latency[int(len(latency) * 0.95)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
