/**
 * An in-process HTTP receiver standing in for the Slack and Discord webhooks: Alertmanager POSTs to
 * http://127.0.0.1:<port>/<path>; every request body is kept, in order, with its path.
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedRequest {
  path: string;
  body: unknown;
  at: number;
}

export class WebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // kept as text: an assertion on it will say what arrived
        }
        this.received.push({ path: req.url ?? '', body, at: Date.now() });
        // Slack answers "ok" with 200; Alertmanager retries anything else
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise((resolve) => this.server!.close(resolve));
  }
}
