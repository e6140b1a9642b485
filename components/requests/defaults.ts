/**
 * The list's first page as the table asks for it; the page prefetches exactly this key, so it
 * renders without a round trip. A DBA starts on the approval queue (the server orders it oldest first).
 */
export const REQUESTS_PAGE_SIZE = 50;
export const requestsFirstPage = (pendingFirst: boolean) =>
  pendingFirst ? ({ status: "SUBMITTED", page: 1, pageSize: REQUESTS_PAGE_SIZE } as const) : ({ page: 1, pageSize: REQUESTS_PAGE_SIZE } as const);
