"""A small real SMTP server for tests (RFC 5321's commands that a client sends to deliver
mail: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on 127.0.0.1, over TCP, keeping what
arrives. aiosmtpd is not among the project's dependencies; Python 3.11's smtpd is
deprecated (gone in 3.12), so the tests carry this one.

``refuse_next`` makes it answer the next deliveries ``451`` (a temporary failure), as a
busy or greylisting server does, to exercise the queue's retries.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Mailbox:
    messages: list[Received] = field(default_factory=list)
    refuse_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        box = self.server.mailbox
        sender: str | None = None
        recipients: list[str] = []
        self._reply("220 test-smtp ESMTP ready")
        while True:
            raw = self.rfile.readline(1000)
            if not raw:
                return
            line = raw.decode("ascii", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-test-smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                self.wfile.flush()
            elif verb == "HELO":
                self._reply("250 test-smtp")
            elif verb == "MAIL":
                with box.lock:
                    refuse = box.refuse_next > 0
                    if refuse:
                        box.refuse_next -= 1
                if refuse:
                    self._reply("451 4.3.0 try again later")
                    continue
                sender = line.split(":", 1)[1].strip().split()[0].strip("<>")
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                if sender is None:
                    self._reply("503 MAIL first")
                    continue
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                if sender is None or not recipients:
                    self._reply("503 MAIL and RCPT first")
                    continue
                self._reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    data_line = self.rfile.readline()
                    if data_line in (b".\r\n", b".\n", b""):
                        break
                    if data_line.startswith(b".."):
                        data_line = data_line[1:]
                    lines.append(data_line)
                with box.lock:
                    box.messages.append(Received(sender, recipients, b"".join(lines)))
                sender, recipients = None, []
                self._reply("250 OK queued")
            elif verb == "RSET":
                sender, recipients = None, []
                self._reply("250 OK")
            elif verb == "NOOP":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mailbox: Mailbox) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mailbox = mailbox


class SMTPServer:
    """Start with ``start()``; ``port`` and ``mailbox``; ``stop()`` when done."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self._server = _Server(self.mailbox)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> SMTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
