import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type ApiResponse } from '../../shared/api';
import { CSV_EXPORT_FILE_NAME, parseExportCsvRequest } from '../../shared/csv-export';
import type { ExportCsvRequest } from '../../shared/desktop-bridge';
import type { GlossCore } from '../core/core';
import { failure, readJsonBody, statusFor, type ApiReply } from './api-route';

/**
 * Browser mode's CSV export (`POST CSV_DOWNLOAD_PATH`, authenticated like an API call): the CSV
 * is streamed as the response body, so a project of any size exports in bounded memory.
 *
 * Headers go out with the first megabyte of CSV, so a failure before it (a refused annotations
 * file, say) is still answered as an ordinary JSON API failure the page can show. A failure after
 * it cuts the connection: the browser sees a failed download, never a short file that looks whole.
 */
export async function handleCsvDownload(
  req: IncomingMessage,
  res: ServerResponse,
  core: Pick<GlossCore, 'exportCsv'>,
  sendJson: (res: ServerResponse, reply: ApiReply) => void,
): Promise<void> {
  const body = await readJsonBody(req);
  if (body === 'aborted') {
    res.destroy();
    return;
  }
  if ('status' in body) return sendJson(res, body);
  let request: ExportCsvRequest;
  try {
    request = parseExportCsvRequest(body.input ?? {});
  } catch (e) {
    return sendJson(res, failure(400, 'invalid_input', (e as Error).message));
  }

  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${CSV_EXPORT_FILE_NAME}"`);
  try {
    await core.exportCsv(res, request);
  } catch (e) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Nothing was sent yet: drop the CSV headers and answer as an API failure.
    res.removeHeader('Content-Disposition');
    if (!(e instanceof ApiError)) throw e;
    const response: ApiResponse = { ok: false, error: { code: e.code, message: e.message } };
    return sendJson(res, { status: statusFor(response), body: response });
  }
}
