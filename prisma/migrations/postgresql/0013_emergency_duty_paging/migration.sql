-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "emergencyAckAt" TIMESTAMP(3),
ADD COLUMN     "emergencyAckBy" TEXT,
ADD COLUMN     "emergencyEscalateAt" TIMESTAMP(3),
ADD COLUMN     "emergencyEscalations" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Case_emergencyEscalateAt_idx" ON "Case"("emergencyEscalateAt");

