-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "answeredAt" TIMESTAMP(3),
ADD COLUMN     "followUpDueAt" TIMESTAMP(3),
ADD COLUMN     "groupId" TEXT,
ADD COLUMN     "queryCodeHash" TEXT;

-- CreateTable
CREATE TABLE "CaseGroup" (
    "id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseGroup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Case_conversationId_idx" ON "Case"("conversationId");

-- CreateIndex
CREATE INDEX "Case_category_createdAt_idx" ON "Case"("category", "createdAt");

-- CreateIndex
CREATE INDEX "Case_followUpDueAt_idx" ON "Case"("followUpDueAt");

-- CreateIndex
CREATE INDEX "Case_groupId_idx" ON "Case"("groupId");

