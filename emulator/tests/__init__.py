"""Tests of the emulator (`emulator/`), with the standard library's unittest.

Run from the repository root:

    .venv/bin/python -m unittest discover -s emulator/tests -t emulator -v

They start emulators on free loopback ports through `scripts/emulator` (or `server.py`) and talk
to them with boto3 and dummy credentials; nothing leaves 127.0.0.1.
"""
