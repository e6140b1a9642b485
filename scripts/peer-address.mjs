// Preloaded into the Next.js process (NODE_OPTIONS --import, see serve.ts): Next.js keeps a client's own
// X-Forwarded-For and route handlers never see the socket, so the socket's address is written to
// x-hedwig-peer on every request here, over anything the client sent under that name.
import http from "node:http";
import https from "node:https";

const PEER = "x-hedwig-peer";

for (const mod of [http, https]) {
  const create = mod.createServer;
  mod.createServer = function createServer(...args) {
    const i = args.findIndex((a) => typeof a === "function");
    if (i >= 0) {
      const listener = args[i];
      args[i] = function withPeer(req, res) {
        req.headers[PEER] = req.socket.remoteAddress ?? "";
        return listener.call(this, req, res);
      };
    }
    return create.apply(this, args);
  };
}
