-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "pushedSeq" INTEGER NOT NULL DEFAULT 0;
