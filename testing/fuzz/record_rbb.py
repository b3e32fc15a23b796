#!/usr/bin/env python3
"""Record a seed for the fuzz_rbb target: what stock OpenOCD sends to stm32sim.

    record_rbb.py SIM SCENARIO_DIR BOARD.scn OUT -- openocd ARGS...

Starts SIM (a built testing/sim/stm32sim) on SCENARIO_DIR/BOARD.scn, puts a
Unix-socket proxy between it and OpenOCD (which finds the proxy through
STM32SIM_SOCKET, see tcl/interface/stm32sim.cfg), runs the OpenOCD command
line and writes OUT: a line naming the board (how fuzz_rbb picks it), then
OpenOCD's bytes.
"""
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading


def forward(cli, sim, record):
    """Copy both ways until both sides have closed; keep what OpenOCD sent."""
    peer = {cli: sim, sim: cli}
    while peer:
        for s in select.select(list(peer), [], [], 60)[0]:
            data = s.recv(65536)
            if not data:
                other = peer.pop(s)
                try:
                    other.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                continue
            if s is cli:
                record.extend(data)
            try:
                peer[s].sendall(data)
            except (OSError, KeyError):
                pass


def main():
    sim_bin, scenario_dir, board, out = sys.argv[1:5]
    command = sys.argv[sys.argv.index("--") + 1:]
    work = tempfile.mkdtemp(prefix="record-rbb-")
    sim_sock, proxy_sock = os.path.join(work, "sim.sock"), os.path.join(work, "proxy.sock")
    sim = subprocess.Popen([sim_bin, "--scenario", os.path.join(scenario_dir, board), "--unix", sim_sock,
                            "--time-scale", "0.01"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        if not sim.stdout.readline().startswith("listening on"):
            sys.exit("stm32sim did not start")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(proxy_sock)
        listener.listen(1)
        record = bytearray()

        def serve():
            cli, _ = listener.accept()
            to_sim = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            to_sim.connect(sim_sock)
            forward(cli, to_sim, record)

        proxy = threading.Thread(target=serve)
        proxy.start()
        env = dict(os.environ, STM32SIM_SOCKET=proxy_sock)
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        proxy.join(60)
        with open(out, "wb") as f:
            f.write(board.encode() + b"\n" + bytes(record))
        print("%s: board %s, %d bytes" % (out, board, len(record)))
    finally:
        sim.terminate()
        sim.wait()


if __name__ == "__main__":
    main()
