-- Where Slack cards and live hand-off threads are moves from the case and conversation rows into
-- Slack's own tables (officers/slack). Every posted card and live thread is carried over first:
-- without them cards would be posted twice and officers' thread replies would reach nobody.

-- CreateTable
CREATE TABLE "SlackCard" (
    "caseId" TEXT NOT NULL PRIMARY KEY,
    "target" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT,
    CONSTRAINT "SlackCard_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SlackLiveThread" (
    "conversationId" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "ts" TEXT,
    CONSTRAINT "SlackLiveThread_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CopyData: slackTarget and slackChannel were always written together; a card without its target
-- is taken to be where it is.
INSERT INTO "SlackCard" ("caseId", "target", "channel", "ts")
SELECT "id", COALESCE("slackTarget", "slackChannel"), "slackChannel", "slackTs" FROM "Case" WHERE "slackChannel" IS NOT NULL;

INSERT INTO "SlackLiveThread" ("conversationId", "channel", "ts")
SELECT "id", "liveChannel", "liveTs" FROM "Conversation" WHERE "liveChannel" IS NOT NULL;

-- DropColumns: in place, not by the usual rebuild (new table, copy, DROP TABLE, rename). The hub
-- migrates inside a transaction with foreign keys on, where PRAGMA foreign_keys=OFF does nothing:
-- dropping "Case" and "Conversation" would delete the rows just copied (ON DELETE CASCADE).
DROP INDEX "Case_slackChannel_slackTs_idx";
ALTER TABLE "Case" DROP COLUMN "slackChannel";
ALTER TABLE "Case" DROP COLUMN "slackTarget";
ALTER TABLE "Case" DROP COLUMN "slackTs";
ALTER TABLE "Conversation" DROP COLUMN "liveChannel";
ALTER TABLE "Conversation" DROP COLUMN "liveTs";

-- CreateIndex
CREATE INDEX "SlackCard_channel_ts_idx" ON "SlackCard"("channel", "ts");

-- CreateIndex
CREATE INDEX "SlackLiveThread_channel_ts_idx" ON "SlackLiveThread"("channel", "ts");
