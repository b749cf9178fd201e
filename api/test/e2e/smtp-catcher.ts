/**
 * A local SMTP server for the browser tests: accepts every message (plain SMTP, no TLS or auth)
 * and keeps it, so a test can wait for an email and read the link in it.
 */
import { createServer } from 'node:net';

export interface CaughtEmail {
  to: string[];
  /** The raw message: headers and body as sent. */
  data: string;
}

/** The text/plain part of a message, quoted-printable decoded. */
export function plainText(email: CaughtEmail): string {
  const part = /Content-Type: text\/plain[^]*?\r?\n\r?\n([^]*?)\r?\n----/i.exec(email.data)?.[1] ?? '';
  const bytes = part
    .replace(/=\r?\n/g, '')
    .split(/(=[0-9A-F]{2})/)
    .flatMap((piece) => (/^=[0-9A-F]{2}$/.test(piece) ? [Number.parseInt(piece.slice(1), 16)] : [...Buffer.from(piece)]));
  return Buffer.from(bytes).toString('utf8');
}

export async function startSmtpCatcher() {
  const emails: CaughtEmail[] = [];
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let to: string[] = [];
    socket.write('220 catcher ESMTP\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          emails.push({ to, data: buffer.slice(0, end).replace(/^\.\./gm, '.') });
          buffer = buffer.slice(end + 5);
          inData = false;
          to = [];
          socket.write('250 OK\r\n');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'RCPT') to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
          return;
        } else {
          socket.write(['EHLO', 'HELO', 'MAIL', 'RCPT', 'RSET', 'NOOP'].includes(verb) ? '250 OK\r\n' : '502 not here\r\n');
        }
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    emails,
    /** The first caught email to `address`, waiting for it up to `timeoutMs`. */
    async waitFor(address: string, timeoutMs = 20_000): Promise<CaughtEmail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const email = emails.find((candidate) => candidate.to.includes(address));
        if (email) return email;
        if (Date.now() > deadline) throw new Error(`no email to ${address} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
