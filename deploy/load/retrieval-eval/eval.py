#!/usr/bin/env python3
"""Rake retrieval evaluation: ingests a corpus through the jobs API, asks a labelled question set in
each search mode and prints recall@1/5/10, MRR@10, nDCG@10, query latency and ingestion throughput.

Standard library only (no PyPI here). Tokens are signed with the dev key through `openssl`.

Relevance is per page (the document's source id): a hit is relevant when its chunk comes from one of
the question's labelled pages. Ranked lists are of chunks as the API returns them, so several chunks
of one page count once, at the rank of its first chunk:
- recall@k: labelled pages among the pages of the first k hits / labelled pages (averaged);
- MRR@10: 1 / rank of the first relevant hit within 10 (0 if none);
- nDCG@10: binary gain at the first hit of each labelled page, ideal = all labelled pages first.
"""

import argparse
import base64
import json
import math
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(private_key, tenant, role):
    header = {"alg": "RS256", "typ": "JWT"}
    user = str(uuid.uuid4())
    now = int(time.time())
    claims = {"iss": "https://ragline.dev", "sub": user, "upn": f"{role}@{tenant}.example",
              "tenant_id": tenant, "user_id": user, "roles": [role], "groups": [role],
              "iat": now, "exp": now + 4 * 3600}
    signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", private_key], input=signing_input,
                               capture_output=True, check=True).stdout
    return signing_input.decode() + "." + b64url(signature)


class Api:
    def __init__(self, base_url, bearer):
        self.base_url = base_url.rstrip("/")
        self.bearer = bearer

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + self.bearer)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            raise SystemExit(f"{method} {path}: {e.code} {e.read().decode(errors='replace')[:500]}")


def parse_time(text):
    from datetime import datetime
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def ingest(api, corpus_dir, pages, chunk_size, chunk_overlap):
    files = []
    for page in pages:
        with open(os.path.join(corpus_dir, page), encoding="utf-8") as f:
            files.append({"filename": page, "content": f.read()})
    body = {"source": "file_upload", "files": files}
    if chunk_size:
        body["chunk_size"] = chunk_size
    if chunk_overlap is not None:
        body["chunk_overlap"] = chunk_overlap
    started = time.time()
    job = api.call("POST", "/api/v1/jobs", body)
    while job["status"] not in ("COMPLETED", "FAILED", "CANCELLED"):
        time.sleep(1)
        job = api.call("GET", f"/api/v1/jobs/{job['job_id']}")
    wall = time.time() - started
    if job["status"] != "COMPLETED":
        raise SystemExit(f"ingest job {job['job_id']} ended {job['status']}: {job.get('error')} {job.get('errors')}")
    chunks = job["stages"]["embed"]["chunks"]
    seconds = parse_time(job["completed_at"]) - parse_time(job["started_at"])
    embed_busy = job["stages"]["embed"].get("busy_ms")
    return {"documents": len(pages), "chunks": chunks, "job_seconds": seconds, "wall_seconds": wall,
            "chunks_per_s": chunks / seconds if seconds > 0 else float("nan"),
            "embed_busy_ms": embed_busy, "failed": job["documents_failed"]}


def metrics(ranked_pages, relevant):
    relevant = set(relevant)
    first_rank = {}
    for rank, page in enumerate(ranked_pages, start=1):
        first_rank.setdefault(page, rank)
    found = {page: rank for page, rank in first_rank.items() if page in relevant}

    def recall(k):
        return sum(1 for rank in found.values() if rank <= k) / len(relevant)

    ranks = [rank for rank in found.values() if rank <= 10]
    mrr = 1.0 / min(ranks) if ranks else 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank in ranks)
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), 10) + 1))
    return {"r1": recall(1), "r5": recall(5), "r10": recall(10), "mrr": mrr, "ndcg": dcg / idcg}


def percentile(values, p):
    ordered = sorted(values)
    index = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[index]


def evaluate(api, questions, mode, top_k, misses):
    totals = {"r1": 0.0, "r5": 0.0, "r10": 0.0, "mrr": 0.0, "ndcg": 0.0}
    latencies = []
    for question in questions:
        started = time.perf_counter()
        answer = api.call("POST", "/api/v1/search", {"query": question["q"], "top_k": top_k, "mode": mode})
        latencies.append((time.perf_counter() - started) * 1000)
        ranked = [hit["source_id"] for hit in answer["results"]]
        scores = metrics(ranked, question["relevant"])
        for key in totals:
            totals[key] += scores[key]
        if scores["r5"] < 1 and misses is not None:
            misses.write(json.dumps({"mode": mode, "q": question["q"], "relevant": question["relevant"],
                                     "got": ranked[:5]}) + "\n")
    n = len(questions)
    result = {key: value / n for key, value in totals.items()}
    result.update({"n": n, "p50_ms": statistics.median(latencies), "p95_ms": percentile(latencies, 95)})
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--private-key", required=True)
    parser.add_argument("--corpus-dir", required=True)
    parser.add_argument("--pages", required=True, help="file with one page per line (# comments)")
    parser.add_argument("--questions", required=True, help="JSON lines {q, relevant: [page...]}")
    parser.add_argument("--modes", default="hybrid,vector")
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--tenant", default=None, help="default: a new tenant per run")
    parser.add_argument("--skip-ingest", action="store_true", help="the tenant already holds the corpus")
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--chunk-overlap", type=int, default=None)
    parser.add_argument("--misses", default=None, help="write the questions missed at 5 here (JSON lines)")
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    with open(args.pages) as f:
        pages = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    with open(args.questions) as f:
        questions = [json.loads(line) for line in f if line.strip()]
    tenant = args.tenant or "eval-" + uuid.uuid4().hex[:8]
    api = Api(args.base_url, token(args.private_key, tenant, "staff"))

    print(f"RESULT corpus {len(pages)} pages, {len(questions)} questions, tenant {tenant} {args.label}")
    if not args.skip_ingest:
        stats = ingest(api, args.corpus_dir, pages, args.chunk_size, args.chunk_overlap)
        print("RESULT ingest: {documents} documents, {chunks} chunks in {job_seconds:.1f} s (job started→completed;"
              " {wall_seconds:.1f} s wall from POST), {chunks_per_s:.1f} chunks/s, embed busy {embed_busy_ms} ms,"
              " {failed} failed".format(**stats))
    misses = open(args.misses, "w") if args.misses else None
    # One untimed warm-up search per mode so the first timed query does not carry JIT and pool start-up.
    print("RESULT | mode | recall@1 | recall@5 | recall@10 | MRR@10 | nDCG@10 | p50 ms | p95 ms |")
    print("RESULT |---|---|---|---|---|---|---|---|")
    for mode in args.modes.split(","):
        for warm in questions[:5]:
            api.call("POST", "/api/v1/search", {"query": warm["q"], "top_k": args.top_k, "mode": mode})
        r = evaluate(api, questions, mode, args.top_k, misses)
        print(f"RESULT | {mode} | {r['r1']:.3f} | {r['r5']:.3f} | {r['r10']:.3f} | {r['mrr']:.3f} | {r['ndcg']:.3f}"
              f" | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |")
    if misses:
        misses.close()


if __name__ == "__main__":
    sys.exit(main())
