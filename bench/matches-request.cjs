// autocannon setupRequest for bench:platform phase d (loaded by autocannon on its worker
// thread, hence CommonJS and a file): every request, whichever connection sends it, asks for
// the next entity of BENCH_MATCHES_IDS, so that concurrent requests are for distinct entities
// (a request list alone is walked by each connection from its start: the same id ten times).
/* global module */
'use strict';
const ids = (process.env.BENCH_MATCHES_IDS || '').split(',');
const query = process.env.BENCH_MATCHES_QUERY ? `?${process.env.BENCH_MATCHES_QUERY}` : '';
let next = 0;
module.exports = (req) => {
  const id = ids[next++ % ids.length];
  return { ...req, path: `/api/v1/entities/${id}/matches${query}` };
};
