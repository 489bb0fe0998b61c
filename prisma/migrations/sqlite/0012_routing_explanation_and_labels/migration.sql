-- AlterTable
ALTER TABLE "Case" ADD COLUMN "categoryConfirmedAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "categoryConfirmedBy" TEXT;
ALTER TABLE "Case" ADD COLUMN "routing" TEXT;

-- CreateIndex
CREATE INDEX "Case_categoryConfirmedAt_idx" ON "Case"("categoryConfirmedAt");

