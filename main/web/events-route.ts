import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChangeEvent } from '../../shared/changes';
import type { GlossCore } from '../core/core';

/**
 * Browser mode's change feed: `POST /api/events?since=N` (token-checked like every API call)
 * answers with a stream of Server-Sent Events that never ends while the page is open: first
 * every event after revision N, then each new one as it is committed. `event: reset` says the
 * events after N are no longer kept, so the page reloads its state. A comment line every
 * `HEARTBEAT_MS` keeps idle connections from being cut.
 *
 * POST with fetch rather than EventSource: EventSource cannot send the token header, and a
 * token in the address would end up in logs and history.
 */

export const HEARTBEAT_MS = 20_000;

/** Open streams, so that closing the server can end them (they never end by themselves). */
export type EventStreams = Set<ServerResponse>;

export async function handleEvents(req: IncomingMessage, res: ServerResponse, core: GlossCore, streams: EventStreams): Promise<void> {
  const since = Number(new URL(req.url ?? '', 'http://x').searchParams.get('since'));
  if (!Number.isSafeInteger(since) || since < 0) {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('since must be a revision number.');
    return;
  }
  // The request body is not used; read it away so the connection is clean.
  req.resume();
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  streams.add(res);

  let sent = since;
  const send = (event: ChangeEvent): void => {
    if (event.revision <= sent) return;
    sent = event.revision;
    res.write(`id: ${event.revision}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  // Subscribed before catching up, so nothing committed in between is missed; `send` drops repeats.
  const buffered: ChangeEvent[] = [];
  let live = false;
  const unsubscribe = core.subscribe((event) => (live ? send(event) : buffered.push(event)));
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = (): void => {
    unsubscribe();
    clearInterval(heartbeat);
    streams.delete(res);
  };
  res.on('close', stop);

  const missed = await core.handlers['changes.since']({ revision: since }, { client: 'feed' });
  if ('reset' in missed) {
    res.write(`event: reset\ndata: ${JSON.stringify({ revision: missed.revision })}\n\n`);
    sent = missed.revision;
  } else {
    for (const e of missed.events) send(e);
  }
  for (const e of buffered) send(e);
  live = true;
}
