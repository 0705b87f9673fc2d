"""Local servers in place of llm-service's outside parties, speaking their real protocols: api-service's catalogue
(GET /v1/products) and an OpenAI-compatible provider whose replies follow a script."""
import json
import multiprocessing
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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
