/** The list's first page as the table asks for it; the page prefetches exactly this key, so it renders without a round trip. */
export const INSTANCES_FIRST_PAGE = { search: "", page: 1, pageSize: 50, sort: "host", dir: "asc" } as const;
