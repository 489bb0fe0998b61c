-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "categoryConfirmedAt" TIMESTAMP(3),
ADD COLUMN     "categoryConfirmedBy" TEXT,
ADD COLUMN     "routing" TEXT;

-- CreateIndex
CREATE INDEX "Case_categoryConfirmedAt_idx" ON "Case"("categoryConfirmedAt");

