-- DropIndex
DROP INDEX "Case_category_createdAt_idx";

-- CreateIndex
CREATE INDEX "Case_category_createdAt_id_petitionerId_groupId_idx" ON "Case"("category", "createdAt", "id", "petitionerId", "groupId");

