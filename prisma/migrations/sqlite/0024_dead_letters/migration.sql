-- AlterTable
ALTER TABLE "OutboxJob" ADD COLUMN "deadAt" DATETIME;

-- CreateIndex
CREATE INDEX "OutboxJob_deadAt_idx" ON "OutboxJob"("deadAt");

