import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { HubError } from '../../src/errors.js';
import type { CaseService } from '../../src/cases/case-service.js';
import type { Nlu } from '../../src/nlu/nlu.js';
import { OFFICER_ACTIONS } from '../../src/cases/status-machine.js';
import { checkText, parseBody } from '../../src/http/validate.js';
import type { OfficerCases } from '../../src/cases/officer-cases.js';
import { actorOf } from '../../src/accounts/officer.js';

const actionSchema = z.object({
  action: z.enum(OFFICER_ACTIONS),
  text: z.string().optional(),
  department: z.string().min(1).optional(),
  /** categorise (required), transfer (optional): the right category, a taxonomy code. */
  category: z.string().min(1).optional(),
  /** extend: days added to the answer period (range checked by the case service, from configuration). */
  days: z.number().optional(),
  actor: z.string().trim().min(1, 'actor is required').max(200).optional(),
});

/** Admin API (docs/api.md, admin API), mounted at /api only when ADMIN_TOKEN is set; otherwise these paths are 404. */
/**
 * Who reads through the admin API: the `X-Actor` header a script or an integration sets for the
 * person it acts for, else the shared token itself ("admin-api").
 */
function readerOf(header: string | undefined): string {
  const actor = header?.trim();
  if (!actor) return 'admin-api';
  if (actor.length > 200 || /[\u0000-\u001f]/.test(actor)) throw new HubError('bad_request', 'X-Actor must be at most 200 printable characters');
  return actor;
}

export function adminRoutes(auth: RequestHandler, cases: CaseService, nlu: Nlu, officers: OfficerCases): Router {
  const router = express.Router();
  // Per route, not router.use: this router is mounted at /api beside the public web chat API.

  // Reading a case is reading personal data: who read it is recorded on the case first.
  router.get('/cases/:trackingNumber', auth, async (req, res) => {
    const ref = String(req.params.trackingNumber);
    const person = res.locals.apiOfficer;
    // A person's own token: their cases only, in their name (X-Actor cannot speak for someone else).
    if (person) {
      await officers.open(person, ref);
      await cases.recordView(ref, actorOf(person), { via: 'admin_api' });
    } else {
      await cases.recordView(ref, readerOf(req.get('x-actor')), { via: 'admin_api' });
    }
    res.json(await cases.view(ref));
  });

  router.post('/cases/:trackingNumber/actions', auth, async (req, res) => {
    const { actor, ...body } = parseBody(req, actionSchema);
    const text = body.text === undefined || body.text.trim() === '' ? undefined : checkText(body.text);
    const ref = String(req.params.trackingNumber);
    const person = res.locals.apiOfficer;
    if (person) return void res.json(await officers.act(person, ref, { ...body, text }));
    if (!actor) throw new HubError('bad_request', 'actor is required (who acts, for the record)');
    res.json(await cases.act(ref, { ...body, text, actor }));
  });

  router.post('/nlu/classify', auth, async (req, res) => {
    const body = parseBody(req, z.object({ text: z.unknown().optional() }));
    res.json(await nlu.classify(checkText(body.text)));
  });
  return router;
}
