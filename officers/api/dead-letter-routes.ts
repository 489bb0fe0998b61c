import express, { type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { HubError } from '../../src/errors.js';
import { parseBody } from '../../src/http/validate.js';
import type { DeadLetters } from '../../src/outbox/dead-letters.js';

const retrySchema = z.object({ kind: z.string().min(1).max(100).optional() }).strict();

/** Delivery failures are about every department's cases: for the shared admin token or an administrator's own. */
function adminOnly(res: Response): void {
  const person = res.locals.apiOfficer;
  if (person && person.role !== 'admin') throw new HubError('forbidden', 'dead letters are for administrators');
}

/**
 * The admin API's dead letters: GET /api/outbox/dead-letters[?kind=], POST …/:id/retry,
 * POST …/retry (all, or {"kind": …}), DELETE …/:id.
 */
export function deadLetterRoutes(auth: RequestHandler, letters: DeadLetters): Router {
  const router = express.Router();
  router.get('/outbox/dead-letters', auth, async (req, res) => {
    adminOnly(res);
    const kind = typeof req.query.kind === 'string' && req.query.kind ? req.query.kind : undefined;
    res.json({ deadLetters: await letters.list(kind) });
  });
  router.post('/outbox/dead-letters/retry', auth, async (req, res) => {
    adminOnly(res);
    const body = req.body === undefined || Object.keys(req.body ?? {}).length === 0 ? {} : parseBody(req, retrySchema);
    res.json({ retried: await letters.retry({ kind: body.kind }) });
  });
  router.post('/outbox/dead-letters/:id/retry', auth, async (req, res) => {
    adminOnly(res);
    res.json({ retried: await letters.retry({ id: String(req.params.id) }) });
  });
  router.delete('/outbox/dead-letters/:id', auth, async (req, res) => {
    adminOnly(res);
    await letters.drop(String(req.params.id));
    res.status(204).end();
  });
  return router;
}
