"""Starts emulators for the tests: `scripts/emulator --port 0 --exit-with-stdin` on a free
loopback port, and boto3 clients pointed at it with dummy credentials.

The server's standard input is a pipe this process holds: when the tests end, or die, it
closes and the server exits (`--exit-with-stdin`).
"""

import json
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any

# Only the emulator, never a real account: no AWS configuration of the user is read.
for _name, _value in {
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}.items():
    os.environ[_name] = _value
for _name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
    os.environ.pop(_name, None)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "emulator")
SERVER = os.path.join(ROOT, "emulator", "server.py")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
REGION = "us-east-1"
START_TIMEOUT = 60.0

_SERVING = re.compile(r"serving on http://127\.0\.0\.1:(\d+)")


class Emulator:
    """A running emulator on 127.0.0.1; `stop()` ends it."""

    def __init__(self, command: list[str]):
        self.log = tempfile.NamedTemporaryFile(
            prefix="infra-emulator-test-", suffix=".log", delete=False
        )
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        self.port = self._wait_for_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._wait_until_up()
        #: Seconds from starting the process to the first answer of GET /moto-api/.
        self.startup_seconds = time.monotonic() - self.started

    @classmethod
    def via_script(cls) -> "Emulator":
        return cls([SCRIPT, "--port", "0", "--exit-with-stdin"])

    @classmethod
    def via_server(cls) -> "Emulator":
        return cls([PYTHON, SERVER, "--port", "0", "--exit-with-stdin"])

    def output(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            match = _SERVING.search(self.output())
            if match:
                return int(match.group(1))
            if self.process.poll() is not None:
                raise RuntimeError(f"the emulator exited early:\n{self.output()}")
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"the emulator did not say where it serves:\n{self.output()}")

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                if self.http("GET", "/moto-api/", raw=True)[0] == 200:
                    return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"the emulator did not answer GET /moto-api/:\n{self.output()}")

    def http(self, method: str, path: str, body: Any = None, raw: bool = False) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.endpoint + path, data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                content = response.read()
                status = response.status
        except urllib.error.HTTPError as e:
            content = e.read()
            status = e.code
        if raw:
            return status, content
        return status, (json.loads(content) if content else None)

    def client(self, service: str, **config: Any) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(**config) if config else None,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()  # --exit-with-stdin: this alone ends it
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        elif self.process.stdin:
            self.process.stdin.close()
        self.log.close()
        os.unlink(self.log.name)
