"""What the benchmark and the fault scripts share: building the server, seeding a database,
starting and stopping the server, HTTP calls, and the local PostgreSQL cluster."""
import json, os, re, shutil, socket, subprocess, sys, time
import urllib.error, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDED_PASSWORD = "laulan aina aamulla"
OFFICE = "seed.office@uniikkiaani.fi"
SECRET = "benchmark-signing-secret-not-for-production-0123456789"


def log(tool, *args):
    print(f"{tool}:", *args, file=sys.stderr, flush=True)


def binary(profile="release"):
    """Builds `uniikki` and returns its path."""
    flags = ["--release"] if profile == "release" else []
    subprocess.run(["cargo", "build", *flags, "--quiet", "--bin", "uniikki"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return str(target / ("release" if profile == "release" else "debug") / "uniikki")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body or b"null")


def request(method, url, body=None, token=None, timeout=30):
    """Any status is a reply; only a failed connection raises (OSError)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return Reply(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


def http(method, url, body=None, token=None):
    """A call that must succeed; returns the JSON body."""
    reply = request(method, url, body, token)
    if reply.status >= 300:
        raise SystemExit(f"{method} {url}: {reply.status} {reply.body[:300]!r}")
    return reply.json()


def login(base, email):
    return http("POST", f"{base}/api/v1/auth/login", {"email": email, "password": SEEDED_PASSWORD})["access_token"]


def server_env(db_url, data_dir, **extra):
    env = dict(os.environ, DATABASE_URL=db_url, UNIIKKI_LOG="warn", UNIIKKI_DATA_DIR=str(data_dir),
               UNIIKKI_JWT_SECRET=SECRET, UNIIKKI_WORKERS="2", UNIIKKI_PUBLIC_RATE_PER_MINUTE="100000",
               UNIIKKI_PUBLIC_RATE_BURST="100000", UNIIKKI_LOGIN_MAX_FAILURES_PER_IP="100000")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def seed(exe, env, customers, history=0):
    out = subprocess.run([exe, "seed", "--customers", str(customers), "--history", str(history)],
                         env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


class Server:
    """`uniikki serve` on a free port, its log kept in `log_path`."""

    def __init__(self, exe, env, log_path):
        self.exe, self.env, self.log_path = exe, env, log_path
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self, ready_within=60):
        log_file = open(self.log_path, "a")
        self.process = subprocess.Popen([self.exe, "serve"], env=dict(self.env, UNIIKKI_LISTEN=f"127.0.0.1:{self.port}"),
                                        stdout=subprocess.DEVNULL, stderr=log_file)
        log_file.close()
        deadline = time.time() + ready_within
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode}; see {self.log_path}")
            try:
                if request("GET", f"{self.base}/readyz", timeout=2).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"the server was not ready within {ready_within} s; see {self.log_path}")

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        return self.process.returncode if self.process else None


def database_url(admin_url, name):
    """The URL of database `name` on the server `admin_url` points at."""
    scheme, rest = admin_url.split("://", 1)
    return scheme + "://" + re.sub(r"/[^/?]*(\?|$)", f"/{name}\\1", rest, count=1)


class PostgresDatabase:
    """A fresh database on the server of `admin_url`, dropped on exit."""

    def __init__(self, admin_url, prefix):
        self.admin_url, self.name = admin_url, f"{prefix}_{os.getpid()}"
        self.url = database_url(admin_url, self.name)

    def __enter__(self):
        subprocess.run(["psql", self.admin_url, "-qc", f"CREATE DATABASE {self.name}"], check=True)
        return self

    def __exit__(self, *exc):
        subprocess.run(["psql", self.admin_url, "-qc", f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)"],
                       check=False, capture_output=True)


def local_cluster():
    """The version of the local PostgreSQL cluster on port 5432 that this machine can stop and
    start (`pg_ctlcluster`), or None."""
    if not shutil.which("pg_lsclusters"):
        return None
    for line in subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.splitlines():
        version, cluster, port = line.split()[:3]
        if cluster == "main" and port == "5432":
            return version
    return None


def postgres(action, version, mode="fast"):
    """Stops (`-m fast` or `-m immediate`, a crash) or starts the local cluster."""
    cmd = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
    if action == "stop":
        cmd += ["-m", mode]
    subprocess.run(cmd, check=True, capture_output=True)
    if action == "start":
        for _ in range(100):
            if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit("PostgreSQL did not come back")
