/**
 * A small hand-written server for test/fixtures/contract-get/openapi/tavus-get.yaml (Tavus's delete plus a GET), on
 * plain node:http: the contract runner meets it as it would any team's server, with no control API. `brokenGet`
 * answers GET with a body its schema does not allow.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

/** `handler` on an ephemeral loopback port. */
export async function serveHttp(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<HttpServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export interface DocumentsOptions {
  /** Documents by API key: each key is an account. */
  accounts: Record<string, string[]>;
  brokenGet?: boolean;
}

const PATH = /^\/tavus\/v2\/documents\/([^/]*)$/;

export function startDocumentsServer(options: DocumentsOptions): Promise<HttpServer> {
  const accounts = new Map(Object.entries(options.accounts).map(([key, ids]) => [key, new Set(ids)]));
  return serveHttp((req, res) => {
    req.resume();
    const send = (status: number, body?: object, headers: Record<string, string> = {}) => {
      res
        .writeHead(status, body ? { 'content-type': 'application/json', ...headers } : headers)
        .end(body ? JSON.stringify(body) : undefined);
    };
    const notFound = () => send(404, { message: 'Document not found' });
    const match = PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return notFound();
    if (req.method !== 'GET' && req.method !== 'DELETE')
      return send(405, { message: 'Method not allowed' }, { allow: 'GET, DELETE' });
    const documents = accounts.get(String(req.headers['x-api-key']));
    if (!documents) return send(401, { message: 'Invalid access token' });
    const id = decodeURIComponent(match[1]!);
    if (!documents.has(id)) return notFound();
    if (req.method === 'DELETE') {
      documents.delete(id);
      return send(204);
    }
    return send(200, options.brokenGet ? { document_id: id } : { document_id: id, document_name: 'fixture' });
  });
}
