-- AlterTable
ALTER TABLE "Case" ADD COLUMN "answeredAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "followUpDueAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "groupId" TEXT;
ALTER TABLE "Case" ADD COLUMN "queryCodeHash" TEXT;

-- CreateTable
CREATE TABLE "CaseGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "category" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Case_conversationId_idx" ON "Case"("conversationId");

-- CreateIndex
CREATE INDEX "Case_category_createdAt_idx" ON "Case"("category", "createdAt");

-- CreateIndex
CREATE INDEX "Case_followUpDueAt_idx" ON "Case"("followUpDueAt");

-- CreateIndex
CREATE INDEX "Case_groupId_idx" ON "Case"("groupId");

