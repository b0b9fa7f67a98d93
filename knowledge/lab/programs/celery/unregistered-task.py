"""A worker receives a task whose name it has no registration for ("Received unregistered task").

A real worker (`celery -A proj_app worker`, solo pool) runs against the lab's own redis-server;
its log record for the message is printed as the user would paste it, and the run exits 1.
"""
import os
import subprocess
import sys
import time

import labkit
from kits.redis_server import RedisServer

APP = '''
from celery import Celery
app = Celery("proj", broker="redis://127.0.0.1:{port}/0"{include})
app.conf.worker_log_format = "[%(levelname)s/%(processName)s] %(message)s"
app.conf.worker_task_log_format = "[%(levelname)s/%(processName)s] %(task_name)s: %(message)s"
app.conf.worker_hijack_root_logger = True
'''

TASKS = '''
from proj_app import app

@app.task(name="proj.tasks.send_invoice")
def send_invoice(order_id):
    return order_id
'''


def run_worker(port, include, send_name):
    with open("proj_app.py", "w") as f:
        f.write(APP.format(port=port, include=', include=["proj_tasks"]' if include else ""))
    with open("proj_tasks.py", "w") as f:
        f.write(TASKS)
    env = dict(os.environ, PYTHONPATH=os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", ""))
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "proj_app", "worker", "-P", "solo", "-l", "INFO",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-n", "worker1@lab"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    sys.path.insert(0, os.getcwd())
    from proj_app import app

    app.send_task(send_name, args=[17], task_id="6f1d3c52-0d0e-4a57-9d67-2b8a3f1c9e10")
    lines, deadline = [], time.time() + 60
    os.set_blocking(worker.stdout.fileno(), False)
    done = None
    while time.time() < deadline and done is None:
        chunk = worker.stdout.readline()
        if not chunk:
            time.sleep(0.05)
            continue
        lines.append(chunk.rstrip("\n"))
        if "Received unregistered task" in chunk:
            done = "unregistered"
        elif "succeeded in" in chunk:
            done = "succeeded"
    time.sleep(0.5)
    while True:
        chunk = worker.stdout.readline()
        if not chunk:
            break
        lines.append(chunk.rstrip("\n"))
    worker.terminate()
    worker.wait(10)
    return done, lines


def print_record(lines):
    start = next(i for i, line in enumerate(lines) if "Received unregistered task" in line)
    for line in lines[start:]:
        if line.startswith("{'lang'"):  # the message headers name this host and pid
            line = "{'lang': 'py', 'task': ..., 'origin': 'gen4242@lab', ...}"
        sys.stderr.write(line + "\n")


def scenario(send_name, include_default):
    def run(fix):
        if fix is None:
            include, name = include_default, send_name
        elif fix == "include-task-modules":
            include, name = True, send_name
        elif fix == "send-registered-name":
            include, name = include_default, "proj.tasks.send_invoice"
        else:
            raise labkit.UnknownFix(fix)
        with RedisServer() as server:
            done, lines = run_worker(server.port, include, name)
        if done == "unregistered":
            print_record(lines)
            sys.exit(1)
        if done != "succeeded":
            sys.stderr.write("\n".join(lines[-20:]) + "\n")
            sys.exit(2)
    return run


labkit.run({
    # the worker never imports proj_tasks: no include=, no autodiscover_tasks()
    "module-not-imported": scenario("proj.tasks.send_invoice", include_default=False),
    # the producer sends a name the worker does not know (renamed task, relative import name)
    "name-mismatch": scenario("tasks.send_invoice", include_default=True),
})
