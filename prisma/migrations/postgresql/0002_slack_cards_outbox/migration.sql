-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "assignee" TEXT,
ADD COLUMN     "slackChannel" TEXT,
ADD COLUMN     "slackTarget" TEXT,
ADD COLUMN     "slackTs" TEXT;

-- CreateTable
CREATE TABLE "OutboxJob" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedDelivery" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxJob_nextAttemptAt_idx" ON "OutboxJob"("nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxJob_kind_subject_key" ON "OutboxJob"("kind", "subject");

