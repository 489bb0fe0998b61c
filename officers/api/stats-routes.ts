import express, { type RequestHandler, type Router } from 'express';
import type { Db } from '../../src/db/client.js';
import type { RoutingTable } from '../../src/cases/routing-defaults.js';
import { caseStats } from '../../src/cases/stats.js';
import { HubError } from '../../src/errors.js';
import { isIsoDate } from '../../src/util/local-date.js';

// A date, or a date-time with its zone: a time without one would depend on the server's zone.
const ISO = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseDate(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const m = typeof value === 'string' ? ISO.exec(value) : null;
  const at = m && isIsoDate(m[1]) ? Date.parse(value as string) : NaN;
  if (Number.isNaN(at)) {
    throw new HubError('bad_request', `${name} must be an ISO 8601 date or date-time with a zone, e.g. 2026-03-01 or 2026-03-01T08:00:00+08:00`);
  }
  return new Date(at);
}

/** GET /api/stats (admin): case figures for supervisors, optionally for cases filed in [from, to). */
export function statsRoutes(auth: RequestHandler, deps: { db: Db; routing: RoutingTable; now: () => Date }): Router {
  const router = express.Router();
  router.get('/stats', auth, async (req, res) => {
    // Figures over every department: not for an officer's own token.
    if (res.locals.apiOfficer?.role === 'officer') throw new HubError('forbidden', 'the statistics are for supervisors');
    const from = parseDate(req.query.from, 'from');
    const to = parseDate(req.query.to, 'to');
    if (from && to && from >= to) throw new HubError('bad_request', 'from must be before to');
    res.json(await caseStats(deps.db, deps.routing, deps.now(), { from, to }));
  });
  return router;
}
