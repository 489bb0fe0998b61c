-- AlterTable
ALTER TABLE "Case" ADD COLUMN "assignee" TEXT;
ALTER TABLE "Case" ADD COLUMN "slackChannel" TEXT;
ALTER TABLE "Case" ADD COLUMN "slackTarget" TEXT;
ALTER TABLE "Case" ADD COLUMN "slackTs" TEXT;

-- CreateTable
CREATE TABLE "OutboxJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ProcessedDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "OutboxJob_nextAttemptAt_idx" ON "OutboxJob"("nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxJob_kind_subject_key" ON "OutboxJob"("kind", "subject");

