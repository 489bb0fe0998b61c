-- AlterTable
ALTER TABLE "OutboxJob" ADD COLUMN     "deadAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "OutboxJob_deadAt_idx" ON "OutboxJob"("deadAt");

