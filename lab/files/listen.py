"""Lab helper: listen on the given TCP ports for a bounded time, then exit.

Stands in for the Webroot services in Molecule's verify step. Usage:
    listen.py SECONDS PORT [PORT ...]
"""
import select
import socket
import sys
import time

seconds = float(sys.argv[1])
socks = []
for port in sys.argv[2:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(port)))
    s.listen(64)
    socks.append(s)
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    ready = select.select(socks, [], [], 0.5)[0]
    for s in ready:
        s.accept()[0].close()
