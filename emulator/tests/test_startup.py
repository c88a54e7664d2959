"""Start-up stays fast: prints how long an emulator takes to answer GET /moto-api/, through
`server.py` and through `scripts/emulator`. No wall-clock bound is asserted (machines differ);
what is asserted is that nothing heavy is imported before it is needed."""

import statistics
import unittest

from .support import Emulator

RUNS = 3


class StartupTest(unittest.TestCase):
    def measure(self, start: object) -> list[float]:
        figures = []
        for _ in range(RUNS):
            emulator = start()  # type: ignore[operator]
            try:
                figures.append(emulator.startup_seconds)
                status, info = emulator.http("GET", "/infra-emulator/")
                self.assertEqual(status, 200)
                self.assertFalse(info["moto_cloudformation_loaded"])
                self.assertFalse(info["cloudcontrol_loaded"])
            finally:
                emulator.stop()
        return figures

    def test_startup_time(self) -> None:
        for label, start in (
            ("emulator/server.py", Emulator.via_server),
            ("scripts/emulator", Emulator.via_script),
        ):
            figures = self.measure(start)
            print(
                f"\nstart-up to the first GET /moto-api/ answer, {label}: "
                + ", ".join(f"{f:.2f} s" for f in figures)
                + f" (median {statistics.median(figures):.2f} s)",
                flush=True,
            )

    def test_stops_when_stdin_closes(self) -> None:
        emulator = Emulator.via_script()
        process = emulator.process
        process.stdin.close()
        self.assertEqual(process.wait(timeout=10), 0)
        emulator.stop()


if __name__ == "__main__":
    unittest.main()
