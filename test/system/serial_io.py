#!/usr/bin/env python3
"""test/system/serial_io.py: the other end of an engine's serial port, for
system tests that type into it (run.sh's "send" directive).

    serial_io.py -l LOG -p PORTFILE [-e REGEX TEXT]...
    serial_io.py -i [-l LOG] -- COMMAND...

Listens on a free TCP port of 127.0.0.1 and writes its number to PORTFILE;
the engine connects to it as its COM1 (scripts/boot.sh -t PORT). Everything
the machine sends is appended to LOG at once, so run.sh reads it as it reads
a serial file. Each -e pair, in order: once a serial line matching REGEX has
appeared (after the line the previous pair matched; an unfinished last line,
such as a prompt, counts), TEXT is typed. TEXT takes the C escapes \\n \\r
\\t \\\\ \\xHH. REGEX is a Python regular expression; the POSIX classes of
grep -E ([[:space:]], [[:digit:]], ...) are accepted too. Lines are matched
as run.sh shows them: without terminal escapes and control characters.
A new connection (the engine started again) starts the log and the sends
over. Runs until killed; when killed (SIGTERM) with sends still waiting, it
says on stderr which REGEX it was waiting for.

With -i (interactive, scripts/boot.sh for `make run` under Bochs) it runs
COMMAND, with {port} in its words replaced by the port, and joins the
terminal to the serial port both ways, the terminal in raw mode so that
Ctrl-A and Ctrl-C reach the machine; Ctrl-] ends COMMAND. It exits with
COMMAND's status.
"""
import argparse
import os
import re
import select
import signal
import socket
import subprocess
import sys
import termios
import tty

POSIX_CLASSES = {
    "[:space:]": r" \t\n\r\f\v", "[:digit:]": "0-9", "[:alpha:]": "a-zA-Z",
    "[:alnum:]": "a-zA-Z0-9", "[:upper:]": "A-Z", "[:lower:]": "a-z",
    "[:xdigit:]": "0-9a-fA-F", "[:print:]": " -~", "[:punct:]": r"!-/:-@\[-`{-~",
}
QUIT_KEY = 0x1D             # Ctrl-]
ESCAPES = re.compile(rb"\x1b\[[0-9;?=]*[A-Za-z]|\x1b[()][A-Z0-9]|[\x00-\x08\x0b-\x1f]")


def compile_regex(text):
    for posix, chars in POSIX_CLASSES.items():
        text = text.replace(posix, chars)
    return re.compile(text)


def unescape(text):
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 == len(text):
            out += c.encode()
            i += 1
            continue
        n = text[i + 1]
        if n == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", text[i + 2:i + 4]):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
            continue
        out += {"n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\"}.get(n, ("\\" + n).encode())
        i += 2
    return bytes(out)


class Session:
    """One connection: the log so far and the sends still to do."""

    def __init__(self, log_path, sends):
        self.log = open(log_path, "ab", buffering=0)
        self.log.truncate(0)
        self.sends = list(sends)
        self.raw = b""          # everything received, for line matching
        self.start = 0          # where the next REGEX is looked for
        self.skip_line = False  # ... once the line at start has ended

    def received(self, data, conn):
        self.log.write(data)
        self.raw += data
        while self.sends:
            if self.skip_line:  # the last match was on an unfinished line
                end = self.raw.find(b"\n", self.start)
                if end < 0:
                    return
                self.start, self.skip_line = end + 1, False
            regex, text = self.sends[0]
            offset = self.start
            for line in self.raw[self.start:].split(b"\n"):
                if regex.search(ESCAPES.sub(b"", line).decode("latin-1")):
                    break
                offset += len(line) + 1
            else:
                return
            self.start, self.skip_line = offset, True
            self.sends.pop(0)
            conn.sendall(text)


def interactive(server, log_path, command):
    """Run command; terminal <-> serial port until it ends."""
    port = str(server.getsockname()[1])
    child = subprocess.Popen([w.replace("{port}", port) for w in command], stdin=subprocess.DEVNULL,
                             start_new_session=True)
    log = open(log_path, "wb", buffering=0) if log_path else None
    stdin = sys.stdin.fileno()
    saved = termios.tcgetattr(stdin) if os.isatty(stdin) else None
    conn = None
    try:
        if saved:
            tty.setraw(stdin)
        while child.poll() is None:
            watch = [stdin, conn if conn else server]
            ready, _, _ = select.select(watch, [], [], 0.2)
            if server in ready and not conn:
                conn, _ = server.accept()
            if conn in ready:
                data = conn.recv(65536)
                if not data:
                    conn.close()
                    conn = None
                    continue
                os.write(sys.stdout.fileno(), data)
                if log:
                    log.write(data)
            if stdin in ready:
                keys = os.read(stdin, 1024)
                if not keys or QUIT_KEY in keys:
                    os.killpg(child.pid, 15)    # boot.sh and the engine it runs
                    break
                if conn:
                    conn.sendall(keys)
        status = child.wait()
        return 128 - status if status < 0 else status   # killed: 128 + signal, as a shell says
    finally:
        if saved:
            termios.tcsetattr(stdin, termios.TCSADRAIN, saved)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-l", dest="log")
    ap.add_argument("-p", dest="port_file")
    ap.add_argument("-e", dest="sends", nargs=2, action="append", default=[], metavar=("REGEX", "TEXT"))
    ap.add_argument("-i", dest="interactive", action="store_true")
    ap.add_argument("command", nargs="*")
    args = ap.parse_args()
    try:
        sends = [(compile_regex(r), unescape(t)) for r, t in args.sends]
    except re.error as e:
        sys.exit(f"serial_io: bad send REGEX: {e}")

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    if args.interactive:
        if not args.command:
            sys.exit("serial_io: -i needs a COMMAND")
        sys.exit(interactive(server, args.log, args.command))
    if not args.log or not args.port_file:
        sys.exit("serial_io: -l LOG and -p PORTFILE are needed")
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{server.getsockname()[1]}\n")
    os.rename(tmp, args.port_file)

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    sessions = []
    try:
        serve(server, args.log, sends, sessions)
    finally:
        if sessions and sessions[-1].sends:
            regex, text = sessions[-1].sends[0]
            print(f"serial_io: {len(sessions[-1].sends)} send(s) not typed; the next waited for a line "
                  f"matching {regex.pattern} to type {text!r}", file=sys.stderr)


def serve(server, log_path, sends, sessions):
    """Accept the engine, again if it starts again; log what it sends and type."""
    while True:
        conn, _ = server.accept()
        session = Session(log_path, sends)
        sessions.append(session)
        while True:
            ready, _, _ = select.select([conn], [], [], 1.0)
            if not ready:
                continue
            try:
                data = conn.recv(65536)
            except ConnectionError:
                data = b""
            if not data:
                break
            session.received(data, conn)
        conn.close()


if __name__ == "__main__":
    main()
