-- AlterTable
ALTER TABLE "CaseEvent" ADD COLUMN "hash" TEXT;
ALTER TABLE "CaseEvent" ADD COLUMN "prevHash" TEXT;
ALTER TABLE "CaseEvent" ADD COLUMN "seq" INTEGER;
ALTER TABLE "CaseEvent" ADD COLUMN "textHash" TEXT;

-- AlterTable (columns added in place: no copy of the case table)
ALTER TABLE "Case" ADD COLUMN "eventCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Case" ADD COLUMN "lastEventHash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "CaseEvent_caseId_seq_key" ON "CaseEvent"("caseId", "seq");

-- Written by hand (Prisma's schema cannot say WHERE): the events not chained yet, which the hub seals
-- at start (src/cases/event-chain.ts). Empty once sealed, so the check at each start reads nothing.
CREATE INDEX "CaseEvent_unsealed_idx" ON "CaseEvent"("caseId") WHERE "hash" IS NULL;
