-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "liveAgent" TEXT;
ALTER TABLE "Conversation" ADD COLUMN "liveChannel" TEXT;
ALTER TABLE "Conversation" ADD COLUMN "liveTs" TEXT;

