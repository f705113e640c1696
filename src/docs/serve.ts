/**
 * `weir docs serve`: serves the generated site (`target/docs/`) over HTTP on 127.0.0.1 only, with
 * node:http. Only files inside the site folder are served (no directory listings, no path traversal);
 * everything is sent with `Cache-Control: no-store` so a regenerated site shows at once. Requests whose
 * `Host` is not `127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>` get 403 (DNS rebinding); paths with
 * control characters (`/%00`) or bad escapes get 400.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFile, realpathSync } from 'node:fs';
import path from 'node:path';
import { WeirError } from '../errors/weir-error.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** A running docs server. */
export interface DocsServer {
  /** e.g. `http://127.0.0.1:8080/` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts serving `siteDir` on 127.0.0.1.
 * @param port TCP port (0 picks a free one)
 * @throws WeirError `WEIR_DOCS_NOT_GENERATED` when the site has no index.html; `WEIR_DOCS_SERVE_FAILED`
 *   when the port is taken or not allowed
 */
export async function serveDocs(siteDir: string, port: number): Promise<DocsServer> {
  if (!existsSync(path.join(siteDir, 'index.html'))) {
    throw new WeirError('WEIR_DOCS_NOT_GENERATED', `no docs site in ${siteDir}`, { hint: 'Run `weir docs generate` first.' });
  }
  const root = realpathSync(siteDir);
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    // DNS rebinding: a page on another site may resolve its own name to 127.0.0.1 and read the docs
    // (compiled SQL, columns) from the browser; only requests addressed to this server's own names pass.
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host)) return send(403, `forbidden: Host '${host.slice(0, 100)}' is not this server (use http://127.0.0.1:${actualPort}/)`);
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request');
    }
    // NUL and other control characters are no file name here (a NUL made the file system call throw).
    if (/[\u0000-\u001f\u007f]/.test(rel)) return send(400, 'bad request');
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, `.${rel}`);
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden');
    try {
      readFile(file, (err, data) => {
        if (err) return send(404, 'not found');
        send(200, data, TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
      });
    } catch {
      send(400, 'bad request');
    }
  });
  let actualPort = port;
  const allowedHosts = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new WeirError('WEIR_DOCS_SERVE_FAILED', `cannot serve the docs on 127.0.0.1:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`, { hint: 'Pick another port with --port N.', cause: e })));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as { port: number }).port;
  actualPort = actual;
  for (const h of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${h}:${actual}`);
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
