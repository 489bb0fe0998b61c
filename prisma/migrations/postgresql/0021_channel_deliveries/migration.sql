-- Every channel now records what the petitioner was given on the message itself (deliveredAt).
-- Slack direct messages and Wechaty counted it in Conversation.pushedSeq: carried over here.
UPDATE "Message" SET "deliveredAt" = "createdAt"
WHERE "deliveredAt" IS NULL AND "role" <> 'petitioner'
  AND "seq" <= (SELECT c."pushedSeq" FROM "Conversation" c WHERE c."id" = "Message"."conversationId" AND c."channel" IN ('slack', 'wechat'));

-- One push job per channel, named push:<channel>.
UPDATE "OutboxJob" SET "kind" = 'push:slack' WHERE "kind" = 'slack.dm';
UPDATE "OutboxJob" SET "kind" = 'push:wechat' WHERE "kind" = 'wechaty.push';
UPDATE "OutboxJob" SET "kind" = 'push:wechat-oa' WHERE "kind" = 'wechat-oa.push';
UPDATE "OutboxJob" SET "kind" = 'push:wecom' WHERE "kind" = 'wecom.push';
