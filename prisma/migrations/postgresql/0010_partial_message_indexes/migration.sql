-- Written by hand (Prisma's schema cannot say WHERE): the two indexes on Message leave out the rows
-- that never match a lookup, a petitioner's message for replyToId and a bot's for clientMessageId.
-- Each index entry is a page written to the WAL on every turn (docs/benchmarks.md); lookups by value
-- ("replyToId" = ?, "clientMessageId" = ?) use the partial index, and a repeated clientMessageId is
-- still refused by the unique index.
DROP INDEX "Message_replyToId_idx";

CREATE INDEX "Message_replyToId_idx" ON "Message"("replyToId") WHERE "replyToId" IS NOT NULL;

DROP INDEX "Message_conversationId_clientMessageId_key";

CREATE UNIQUE INDEX "Message_conversationId_clientMessageId_key" ON "Message"("conversationId", "clientMessageId") WHERE "clientMessageId" IS NOT NULL;
