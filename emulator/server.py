"""The AWS API emulator infra's tests run against: moto's server, with the fidelity fixes of
`fidelity.py` and a Cloud Control API endpoint (`cloudcontrol/`), in one process on
127.0.0.1.

Usage: python emulator/server.py [--port N] [--exit-with-stdin]
       (`scripts/emulator` installs what it needs and runs this.)

- `--port N`: the loopback port (default 5000). `--port 0` takes a free port; the port is in
  the first line the server writes to standard output, `infra-emulator: serving on
  http://127.0.0.1:PORT`, written once it accepts connections.
- `--exit-with-stdin`: exits as soon as standard input closes, so a test that is killed never
  leaves a server behind (the tests hold the server's stdin open, and its end closes when they
  die).

It answers `GET /moto-api/` (what the tests poll to know it is up) and `POST /moto-api/reset`
as moto does, Cloud Control requests (`X-Amz-Target: CloudApiService.*`), and the emulator's
own control endpoints under `/infra-emulator/` (fault injection; see `cloudcontrol/__init__.py`).
`MOTO_IAM_LOAD_MANAGED_POLICIES` defaults to `true`, as the tests have always run moto.

Start-up stays cheap: moto imports a service's models on the first request to that service,
the fidelity fixes wait for the modules they patch, and moto's CloudFormation models (about
1.1 s and 150 MB) load on the first Cloud Control request only.
"""

import argparse
import os
import signal
import sys
import threading
from typing import Any

HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def _exit_when_stdin_closes() -> None:
    def watch() -> None:
        try:
            while sys.stdin.buffer.read(65536):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch, name="exit-with-stdin", daemon=True).start()


def build_app() -> Any:
    """The WSGI app: Cloud Control and the control endpoints in front of moto's app."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from cloudcontrol import CloudControlMiddleware

    return CloudControlMiddleware(DomainDispatcherApplication(create_backend_app))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-p", "--port", type=int, default=DEFAULT_PORT, help="loopback port (0: any free one)"
    )
    parser.add_argument(
        "--exit-with-stdin",
        action="store_true",
        help="exit as soon as standard input closes",
    )
    args = parser.parse_args(argv)
    if args.exit_with_stdin:
        _exit_when_stdin_closes()

    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

    import fidelity

    fidelity.apply()

    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import make_server

    server = make_server(
        HOST, args.port, build_app(), threaded=True, request_handler=MotoRequestHandler
    )
    port = server.server_port
    # moto calls itself on this port for a few operations (as `moto_server` sets it).
    os.environ.setdefault("MOTO_PORT", str(port))

    def stop(signum: int, frame: Any) -> None:
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"infra-emulator: serving on http://{HOST}:{port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
