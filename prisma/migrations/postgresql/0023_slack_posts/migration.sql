-- Where Slack cards and live hand-off threads are moves from the case and conversation rows into
-- Slack's own tables (officers/slack). Every posted card and live thread is carried over first:
-- without them cards would be posted twice and officers' thread replies would reach nobody.

-- CreateTable
CREATE TABLE "SlackCard" (
    "caseId" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT,

    CONSTRAINT "SlackCard_pkey" PRIMARY KEY ("caseId")
);

-- CreateTable
CREATE TABLE "SlackLiveThread" (
    "conversationId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT,

    CONSTRAINT "SlackLiveThread_pkey" PRIMARY KEY ("conversationId")
);

-- CopyData: slackTarget and slackChannel were always written together; a card without its target
-- is taken to be where it is.
INSERT INTO "SlackCard" ("caseId", "target", "channel", "ts")
SELECT "id", COALESCE("slackTarget", "slackChannel"), "slackChannel", "slackTs" FROM "Case" WHERE "slackChannel" IS NOT NULL;

INSERT INTO "SlackLiveThread" ("conversationId", "channel", "ts")
SELECT "id", "liveChannel", "liveTs" FROM "Conversation" WHERE "liveChannel" IS NOT NULL;

-- DropIndex
DROP INDEX "Case_slackChannel_slackTs_idx";

-- AlterTable
ALTER TABLE "Conversation" DROP COLUMN "liveChannel",
DROP COLUMN "liveTs";

-- AlterTable
ALTER TABLE "Case" DROP COLUMN "slackChannel",
DROP COLUMN "slackTarget",
DROP COLUMN "slackTs";

-- CreateIndex
CREATE INDEX "SlackCard_channel_ts_idx" ON "SlackCard"("channel", "ts");

-- CreateIndex
CREATE INDEX "SlackLiveThread_channel_ts_idx" ON "SlackLiveThread"("channel", "ts");

-- AddForeignKey
ALTER TABLE "SlackCard" ADD CONSTRAINT "SlackCard_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlackLiveThread" ADD CONSTRAINT "SlackLiveThread_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
