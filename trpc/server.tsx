import "server-only";

import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { cache } from "react";
import { readerLocale } from "@/i18n/request";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { currentUserId } from "@/server/auth/session";
import { makeQueryClient } from "./query-client";

export const getQueryClient = cache(makeQueryClient);

export const trpc = createTRPCOptionsProxy({
  ctx: async () => createContext(await currentUserId(), undefined, { locale: await readerLocale() }),
  router: appRouter,
  queryClient: getQueryClient,
});

/** Server components call this for what the page's client components will read first. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- options of any procedure
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(options: T) {
  void getQueryClient().prefetchQuery(options);
}

export function HydrateClient({ children }: { children: React.ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
