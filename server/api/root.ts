import { createCallerFactory, createTRPCRouter } from "./trpc";
import { adminRouter } from "./routers/admin";
import { catalogRouter } from "./routers/catalog";
import { hostsRouter } from "./routers/hosts";
import { importRouter } from "./routers/import";
import { meRouter } from "./routers/me";
import { operationsRouter } from "./routers/operations";
import { productLinesRouter } from "./routers/product-lines";
import { promotionsRouter } from "./routers/promotions";
import { requestsRouter } from "./routers/requests";
import { schedulerRouter } from "./routers/scheduler";
import { servicesRouter } from "./routers/services";
import { topologyRouter } from "./routers/topology";

export const appRouter = createTRPCRouter({
  me: meRouter,
  hosts: hostsRouter,
  import: importRouter,
  topology: topologyRouter,
  productLines: productLinesRouter,
  scheduler: schedulerRouter,
  requests: requestsRouter,
  services: servicesRouter,
  operations: operationsRouter,
  catalog: catalogRouter,
  admin: adminRouter,
  promotions: promotionsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
