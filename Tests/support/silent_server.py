"""A TCP server on loopback that accepts connections and never answers them.

    python3 Tests/support/silent_server.py DIR

Prints the port it listens on as its first line, and writes DIR/connections with one line
per connection accepted (it reads what is sent, and keeps every connection open).
"""
import os
import socket
import sys
import threading

directory = sys.argv[1]
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(64)
print(server.getsockname()[1], flush=True)
held = []


def drain(connection):
    while connection.recv(65536):
        pass


while True:
    connection, _ = server.accept()
    held.append(connection)
    with open(os.path.join(directory, "connections"), "a") as f:
        f.write("accepted\n")
    threading.Thread(target=drain, args=(connection,), daemon=True).start()
