-- AlterTable (columns added in place: no copy of the case table)
ALTER TABLE "Case" ADD COLUMN "emergencyEscalateAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "emergencyEscalations" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Case" ADD COLUMN "emergencyAckAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "emergencyAckBy" TEXT;

-- CreateIndex
CREATE INDEX "Case_emergencyEscalateAt_idx" ON "Case"("emergencyEscalateAt");
