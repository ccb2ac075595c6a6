import assert from "node:assert/strict";
import { test } from "node:test";
import autocannon from "autocannon";
import { withServer } from "./helpers.js";

// Bounded on purpose: 2 s, 10 connections, loopback only. It checks that the
// server stays correct under concurrency; speed is measured by `npm run bench`.
test("2 s of concurrent GET and JSON POST traffic: no errors, no non-2xx", async () => {
  await withServer({}, async (server) => {
    const result = await autocannon({
      url: `http://127.0.0.1:${server.port}`,
      connections: 10,
      duration: 2,
      requests: [
        { method: "GET", path: "/?load=1&who=autocannon" },
        {
          method: "POST",
          path: "/",
          headers: { "content-type": "application/json" },
          body: '{"load":true,"n":[1,2,3]}',
        },
        { method: "GET", path: "/healthz" },
      ],
    });
    assert.ok(result.requests.total > 0, "some requests were made");
    assert.equal(result.errors, 0);
    assert.equal(result.timeouts, 0);
    assert.equal(result.non2xx, 0);
    assert.equal(result["2xx"], result.requests.total);
    assert.equal(server.stderr, "");
    assert.deepEqual(server.nonJsonStdout, []);
  });
});
