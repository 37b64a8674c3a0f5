/** Browser mode: `POST` here (with the API token) to receive the change feed as Server-Sent Events; `?since=N` gives the revision the page has. */
export const EVENTS_PATH = '/api/events';
