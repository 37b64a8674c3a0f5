/**
 * Names the UI and main share for things that are not API methods, kept free of schemas so the
 * page can import them without a validator library.
 */

/** The file name a save dialog or a download proposes for the coded-passages CSV. */
export const CSV_EXPORT_FILE_NAME = 'coded-passages.csv';

/** Browser mode: `POST` a JSON `ExportCsvRequest` here, with the API token, to receive the CSV. */
export const CSV_DOWNLOAD_PATH = '/api/download/coded-passages.csv';

/** Browser mode: `POST` here (with the API token) to receive the change feed as Server-Sent Events; `?since=N` gives the revision the page has. */
export const EVENTS_PATH = '/api/events';
