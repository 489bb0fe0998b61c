import { describe, expect, it } from 'vitest';
import { conversation } from '../helpers/transcript.js';

describe('en transcripts', () => {
  it('a long first message: details extracted, only the gaps asked, corrected at the summary, filed', async () => {
    const c = await conversation('en');
    const first = await c.say(
      "Hi, my name is Anna Li and my phone is 139 0000 1111. My landlord has kept my deposit of 8,000 yuan for three months since I moved out of Flat 12, 45 Riverside Road. I've already complained to the letting agency twice and nobody replied. I want my full deposit back. I am so fed up!",
    );
    const d = first.state.details;
    expect(d).toMatchObject({ contactName: 'Anna Li', contactPhone: '13900001111' });
    expect(d.location).toMatch(/Riverside Road/);
    expect(d.desiredOutcome).toMatch(/deposit back/);
    expect(d.priorAttempts).toMatch(/letting agency/);
    expect(first.text).toMatch(/frustrat|angry/i);
    let turn = first;
    for (let i = 0; i < 5 && turn.asks !== 'confirm'; i++) turn = await c.say("I'm not sure");
    expect(turn.asks).toBe('confirm');
    const fixed = await c.say('the phone number is wrong, it should be 13900002222');
    expect(fixed.state.details.contactPhone).toBe('13900002222');
    expect(fixed.asks).toBe('confirm');
    const filed = await c.say('yes');
    expect(filed.replies[0].caseRef).toMatch(/^XF-/);
    expect(filed.text).toMatch(/15 days/);
    expect(c.filed()?.details.contactPhone).toBe('13900002222');
  });

  it('short answers, a declined name, and no question asked twice', async () => {
    const c = await conversation('en');
    expect((await c.say('hello')).asks).toBe('issue');
    const story = await c.say('The bus route 42 was cancelled and now I walk 40 minutes to work');
    expect(story.asks).not.toBe('issue');
    const answers: Record<string, string> = {
      location: 'Elm Street, Northgate district',
      time: 'since last Monday',
      parties: 'the city bus company',
      desiredOutcome: 'bring the route back',
      priorAttempts: 'none',
      contactName: "I'd rather not say",
      contactPhone: '13511112222',
      listen: "that's all",
    };
    let turn = story;
    while (turn.asks && turn.asks !== 'confirm') turn = await c.say(answers[turn.asks]);
    expect(turn.state.declined).toContain('contactName');
    expect(turn.state.details.priorAttempts).toBe('none');
    await c.say('yes');
    expect(c.filed()?.routing.category).toBe('transport');
    expect(new Set(c.asked).size).toBe(c.asked.length);
  });

  it('asks for a person: noted, and the intake goes on', async () => {
    const c = await conversation('en');
    const turn = await c.say('can I talk to a human please');
    expect(turn.text).toMatch(/officer/i);
    expect(turn.asks).toBe('issue');
    expect(turn.effects).toEqual([{ type: 'request_human', trackingNumber: null }]);
  });

  it('an emergency in English gets contacts at once', async () => {
    const c = await conversation('en');
    const turn = await c.say('my husband is beating me right now');
    expect(turn.text).toContain('110');
    expect(turn.asks).toBe('contactPhone');
    expect(c.filed()?.urgency).toBe('emergency');
  });
});
