import http from 'node:http';

/** A raw HTTP reply. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Omit the Host header entirely. */
  noHost?: boolean;
  agent?: http.Agent;
}

/**
 * Sends one request to 127.0.0.1:`port` with full control of the headers (Node's fetch cannot
 * set Host, which the browser-mode defences check). Host defaults to `127.0.0.1:port`.
 */
export function rawRequest(port: number, opts: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        headers: { ...(opts.noHost ? {} : { Host: `127.0.0.1:${port}` }), ...opts.headers },
        setHost: !opts.noHost,
        agent: opts.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
