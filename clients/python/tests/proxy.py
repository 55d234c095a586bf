"""A small TCP proxy for the writer tests: forwards to the server, can cut connections after a number
of client bytes, and can pause (stop reading from the client) to exercise back-pressure."""
import socket
import threading


class Proxy:
    def __init__(self, target_port, cut_after=()):
        """``cut_after``: for the 1st, 2nd, ... connection that carries a frame upload, cut it (both
        directions, RST) after that many bytes from the client; ``None`` entries pass through."""
        self.target_port = target_port
        self.cut_after = list(cut_after)
        self.cuts = 0
        self.connections = 0
        self.running = threading.Event()
        self.running.set()  # cleared: paused
        self._lock = threading.Lock()
        self._uploads = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._closed:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            u = socket.create_connection(("127.0.0.1", self.target_port))
            state = {"limit": None, "sent": 0, "decided": False}
            threading.Thread(target=self._up, args=(c, u, state), daemon=True).start()
            threading.Thread(target=self._down, args=(u, c), daemon=True).start()

    def _kill(self, a, b):
        for s in (a, b):  # RST now: shutdown wakes the other thread's recv (close alone waits for it)
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            except OSError:
                pass
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                s.close()
            except OSError:
                pass

    def _up(self, c, u, state):
        try:
            while True:
                self.running.wait()
                data = c.recv(65536)
                if not data:
                    u.shutdown(socket.SHUT_WR)
                    return
                if not state["decided"] and data.startswith(b"POST") and b"application/x-imgstore-frames" in data \
                        and b"chunked" in data.lower():
                    with self._lock:
                        i = self._uploads
                        self._uploads += 1
                    state["limit"] = self.cut_after[i] if i < len(self.cut_after) else None
                    state["sent"] = 0
                    state["decided"] = True  # a keep-alive connection: decided on its first upload only
                if state["limit"] is not None and state["sent"] + len(data) >= state["limit"]:
                    u.sendall(data[: max(0, state["limit"] - state["sent"])])
                    self.cuts += 1
                    self._kill(c, u)
                    return
                state["sent"] += len(data)
                u.sendall(data)
        except OSError:
            self._kill(c, u)

    def _down(self, u, c):
        try:
            while True:
                data = u.recv(65536)
                if not data:
                    c.shutdown(socket.SHUT_WR)
                    return
                c.sendall(data)
        except OSError:
            self._kill(c, u)

    def close(self):
        self._closed = True
        self.running.set()
        self.sock.close()
