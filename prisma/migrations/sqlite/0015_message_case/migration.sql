-- AlterTable
ALTER TABLE "Message" ADD COLUMN "caseId" TEXT;

-- CreateIndex
CREATE INDEX "Message_caseId_seq_idx" ON "Message"("caseId", "seq");


-- Backfill: a message belongs to the first case of its conversation filed at or after it (the intake
-- precedes the filing), else to the conversation's latest case (what came after the last filing).
UPDATE "Message" SET "caseId" = COALESCE(
  (SELECT c."id" FROM "Case" c WHERE c."conversationId" = "Message"."conversationId" AND c."createdAt" >= "Message"."createdAt" ORDER BY c."createdAt" ASC LIMIT 1),
  (SELECT c."id" FROM "Case" c WHERE c."conversationId" = "Message"."conversationId" ORDER BY c."createdAt" DESC LIMIT 1)
) WHERE "caseId" IS NULL;
