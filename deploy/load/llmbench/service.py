"""The llm-service under test: starting its packaged jar on a free port, the CPU its process and its JIT compiler
threads used (from /proc), and removing the benchmark tenant's rows afterwards."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

from llmbench.fixtures import KEYS, ROOT

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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


def cleanup(tenant):
    sql = ("DELETE FROM llm.catalogue_items WHERE tenant_id = '%s'; "
           "DELETE FROM llm.chat_sessions WHERE tenant_id = '%s'; "
           "DROP INDEX IF EXISTS llm.catalogue_items_hnsw_%s;") % (tenant, tenant, tenant.replace("-", ""))
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "ragline_test", "-c", sql], check=False)
