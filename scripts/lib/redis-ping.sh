#!/usr/bin/env bash
# Exits 0 when Redis at URL ($1, else $REDIS_URL, else redis://127.0.0.1:6379) answers PING
# within 2 seconds, 1 otherwise. Quiet: callers print their own message. Understands
# redis:// and rediss:// (TLS) URLs with an optional user and password.
set -euo pipefail
# shellcheck disable=SC2016 # JavaScript, not shell, inside the quotes
exec node -e '
const url = new URL(process.argv[1]);
const tls = url.protocol === "rediss:";
const host = url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
const port = Number(url.port) || 6379;
const command = (...args) => `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("");
const socket = tls ? require("tls").connect({ host, port, servername: host }) : require("net").connect(port, host);
socket.once(tls ? "secureConnect" : "connect", () => {
  const user = decodeURIComponent(url.username), password = decodeURIComponent(url.password);
  if (password) socket.write(user ? command("AUTH", user, password) : command("AUTH", password));
  socket.write(command("PING"));
});
let received = "";
socket.on("data", (data) => {
  received += data;
  if (received.includes("+PONG")) process.exit(0);
  if (/^-/m.test(received)) process.exit(1);
});
socket.on("error", () => process.exit(1));
setTimeout(() => process.exit(1), 2000);
' "${1:-${REDIS_URL:-redis://127.0.0.1:6379}}"
